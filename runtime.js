// `pulumi-invision/runtime`: what the serialized providers load in the provider process.
module.exports = require("./dist/runtime");
