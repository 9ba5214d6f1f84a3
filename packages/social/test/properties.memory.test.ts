import { memorySocial } from "./helpers.js";
import { describeSocialProperties } from "./properties-suite.js";

describeSocialProperties(memorySocial());
