// InVision users and groups over SCIM 2.0: the same implementation as the pulumi-invision dynamic resources, served as a provider plugin for every Pulumi language.
package invision
