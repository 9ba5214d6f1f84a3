import { postgresSocial } from "./helpers.js";
import { describeSocialProperties } from "./properties-suite.js";

describeSocialProperties(postgresSocial(6));
