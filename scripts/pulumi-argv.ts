/**
 * `pulumi config set` argument lists built from values. "--" goes before the
 * key: after it the CLI reads no flag, so a value that starts with "-" (a
 * base64url token does, one time in 64) is set as given instead of failing
 * as an unknown flag.
 */
export function configSet(key: string, value: string, options: { secret?: boolean; plaintext?: boolean } = {}): string[] {
    return ["config", "set", ...(options.secret ? ["--secret"] : []), ...(options.plaintext ? ["--plaintext"] : []), "--", key, value];
}
