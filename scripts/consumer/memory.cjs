const scenario = require("./scenario.cjs");

const modules = {
  core: require("@platform/core"),
  commerce: require("@platform/commerce"),
  commercePayments: require("@platform/commerce/payments"),
  payments: require("@platform/payments"),
  social: require("@platform/social"),
};
scenario(modules, "CommonJS").catch((error) => {
  console.error(error);
  process.exit(1);
});
