/**
 * A resource's settings (onExisting, onDelete, membershipMode): what each
 * kind's defaults are lives in its schema; how defaults are treated lives here.
 * State stores a setting only when it is not the default (a tenant's state
 * holds a resource per person, rewritten after every step), so state and
 * inputs compare settings as they take effect.
 */

/** The declared settings worth storing: those not at their default. */
export function storedSettings<T extends object, K extends keyof T>(declared: Partial<T>, defaults: Readonly<Pick<T, K>>): Partial<Pick<T, K>> {
    const out: Partial<Pick<T, K>> = {};
    for (const k of Object.keys(defaults) as K[]) {
        if (declared[k] !== undefined && declared[k] !== defaults[k]) out[k] = declared[k];
    }
    return out;
}

/**
 * The settings whose effect differs between state and the declaration. A
 * stored default (0.1.0 stored them) equals an absent one, and going back to
 * the default is a change.
 */
export function changedSettings<T extends object, K extends keyof T>(olds: Partial<T>, news: Partial<T>, defaults: Readonly<Pick<T, K>>): K[] {
    return (Object.keys(defaults) as K[]).filter((k) => (news[k] ?? defaults[k]) !== (olds[k] ?? defaults[k]));
}
