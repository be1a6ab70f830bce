// `pulumi-invision/emulator`: a local InVision SCIM service.
module.exports = require("./dist/emulator");
