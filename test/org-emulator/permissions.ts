// Who may see and change what: the users of the emulated org, their object and field
// permissions (from the permission sets in force-app) and record visibility (organization-wide
// defaults, ownership, Controlled by Parent, View All / Modify All, View All Data), as Salesforce
// documents them for API users. See docs/org-emulator.md, "Users and what each may do".
//
// Sources:
// - Salesforce Help, "Object Permissions": Read, Create, Edit, Delete, View All ("read all records
//   for the object, regardless of sharing settings"), Modify All ("read, edit, delete, transfer,
//   and approve all records ... regardless of sharing settings"); View All Data / Modify All Data
//   are the same for every object.
// - Salesforce Help, "Field Permissions" (admin_fls): field-level security restricts "Salesforce
//   APIs"; Metadata API, PermissionSet: `fieldPermissions` readable/editable. Required fields
//   carry no field permission (a deploy refuses them: "You cannot deploy to a required field").
// - Salesforce Help, "Organization-Wide Sharing Defaults": Private (only the owner and users
//   above them), Public Read Only, Public Read/Write, Controlled by Parent ("A user can perform
//   an action (such as view, edit, or delete) on a contact based on whether they can perform that
//   same action on the record associated with it"); record owners always have full access.
//   Standard objects' defaults are org configuration: docs/deploy.md (Account Private, Contact
//   Controlled by Parent, Case, Individual and ContactPointTypeConsent Private).
// - ../shared/docs/salesforce-api.md: record visibility applies to API users ("queries just
//   return fewer rows, no error"); an invisible field in a Bulk upload fails the whole job.
// Not emulated (docs/org-emulator.md): roles and the role hierarchy, sharing rules, manual
// shares, sharing sets and other portal sharing, implicit (parent) sharing, teams, territories,
// profiles other than "Minimum Access" (non-admins) and "System Administrator".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FieldDef, ObjectDef, Schema } from './schema.ts';
import type { Store, Table } from './store.ts';

export interface ObjectPerms {
    read: boolean;
    create: boolean;
    edit: boolean;
    delete: boolean;
    viewAll: boolean;
    modifyAll: boolean;
}

const NONE: ObjectPerms = {
    read: false,
    create: false,
    edit: false,
    delete: false,
    viewAll: false,
    modifyAll: false
};
const ALL: ObjectPerms = {
    read: true,
    create: true,
    edit: true,
    delete: true,
    viewAll: true,
    modifyAll: true
};

/**
 * Objects without object permissions of their own. CampaignMember: Setup's object settings list
 * none, Salesforce's documentation describes campaign-member access only through the campaign and
 * the lead/contact permissions, and no source we could find names CampaignMember in
 * objectPermissions (review F14): the emulator refuses a permission set that does and derives
 * the member's rights from Campaign and Contact (UserAccess.objectPerms).
 */
const MEMBER_OBJECTS = new Set(['campaignmember']);

/** One permission set of force-app, as the emulator applies it. */
export interface PermissionSetDef {
    name: string;
    /** lower-case object name -> permissions */
    objects: Map<string, ObjectPerms>;
    /** lower-case `object.field` -> readable / editable */
    fields: Map<string, { read: boolean; edit: boolean }>;
    customPermissions: Set<string>;
    /** user permissions enabled (ViewAllData, ModifyAllData, ApiEnabled, ...) */
    userPermissions: Set<string>;
}

interface Toggle {
    enabled?: string;
    name?: string;
}

interface PermissionSetXml {
    PermissionSet?: {
        objectPermissions?: Array<Record<string, string>>;
        fieldPermissions?: Array<Record<string, string>>;
        customPermissions?: Toggle[];
        userPermissions?: Toggle[];
    };
}

const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (tag) =>
        ['objectPermissions', 'fieldPermissions', 'customPermissions', 'userPermissions'].includes(
            tag
        )
});
const yes = (v: unknown) => String(v ?? '').trim() === 'true';

/** The permission sets of a Salesforce DX folder (`permissionsets/*.permissionset-meta.xml`). */
export function loadPermissionSets(metadataDir: string | undefined): Map<string, PermissionSetDef> {
    const sets = new Map<string, PermissionSetDef>();
    if (!metadataDir) return sets;
    const dir = [join(metadataDir, 'main', 'default'), metadataDir]
        .map((d) => join(d, 'permissionsets'))
        .find((d) => existsSync(d));
    if (!dir) return sets;
    for (const file of readdirSync(dir).sort()) {
        const m = /^(.+)\.permissionset-meta\.xml$/.exec(file);
        if (!m) continue;
        const doc = (xml.parse(readFileSync(join(dir, file), 'utf8')) as PermissionSetXml)
            .PermissionSet;
        if (!doc) continue;
        const set: PermissionSetDef = {
            name: m[1],
            objects: new Map(),
            fields: new Map(),
            customPermissions: new Set(),
            userPermissions: new Set()
        };
        for (const o of doc.objectPermissions ?? []) {
            if (MEMBER_OBJECTS.has(String(o.object).toLowerCase()))
                throw new Error(
                    `${file}: objectPermissions on ${String(o.object)}: campaign members have no object permissions of their own (Campaign and Contact permissions decide, docs/deploy.md)`
                );
            set.objects.set(String(o.object).toLowerCase(), {
                read: yes(o.allowRead),
                create: yes(o.allowCreate),
                edit: yes(o.allowEdit),
                delete: yes(o.allowDelete),
                viewAll: yes(o.viewAllRecords),
                modifyAll: yes(o.modifyAllRecords)
            });
        }
        for (const f of doc.fieldPermissions ?? [])
            set.fields.set(String(f.field).toLowerCase(), {
                read: yes(f.readable),
                edit: yes(f.editable)
            });
        for (const c of doc.customPermissions ?? [])
            if (yes(c.enabled)) set.customPermissions.add(String(c.name));
        for (const u of doc.userPermissions ?? [])
            if (yes(u.enabled)) set.userPermissions.add(String(u.name));
        sets.set(set.name, set);
    }
    return sets;
}

export type SharingModel =
    | 'Private'
    | 'Read'
    | 'ReadWrite'
    | 'ReadWriteTransfer'
    | 'FullAccess'
    | 'ControlledByParent'
    | 'Public';

/**
 * Organization-wide defaults of the standard objects (internal access). Account, Contact, Case,
 * Individual and ContactPointTypeConsent: docs/deploy.md ("Sharing settings the access model
 * relies on"). DataUsePurpose and EngagementChannelType are not named there: Private, the most
 * restrictive (docs/privacy.md gives agents View All on them because the sync owns them).
 * Campaign: Public Full Access (Salesforce's default for campaigns); CampaignMember follows its
 * campaign; Task: Private. User and Organization rows are visible to every internal user.
 * `EmulatorOptions.sharing` overrides any of them.
 */
export const STANDARD_SHARING: Readonly<Record<string, SharingModel>> = {
    Account: 'Private',
    Contact: 'ControlledByParent',
    Case: 'Private',
    Individual: 'Private',
    ContactPointTypeConsent: 'Private',
    DataUsePurpose: 'Private',
    EngagementChannelType: 'Private',
    Campaign: 'FullAccess',
    CampaignMember: 'ControlledByParent',
    Task: 'Private',
    User: 'Public',
    Organization: 'Public'
};

/** The parent whose access a Controlled-by-Parent record follows. */
function parentFieldOf(obj: ObjectDef): FieldDef | undefined {
    if (obj.name === 'Contact') return obj.byName.get('accountid');
    if (obj.name === 'CampaignMember') return obj.byName.get('campaignid');
    // custom objects: the master-detail field
    return obj.fields.find(
        (f) => f.type === 'reference' && f.writeRequiresMasterRead !== undefined
    );
}

const SYSTEM_FIELDS = new Set([
    'id',
    'isdeleted',
    'createddate',
    'createdbyid',
    'lastmodifieddate',
    'lastmodifiedbyid',
    'systemmodstamp',
    'ownerid'
]);
const NAME_PARTS = new Set(['name', 'firstname', 'lastname', 'salutation', 'middlename', 'suffix']);

/**
 * Whether field-level security applies to a field (describe's `permissionable`): not to the
 * system fields and the owner, not to the record name (and the parts of a person's name), not
 * to required fields (a permission set cannot name them: "You cannot deploy to a required
 * field"). Checkboxes are never null and still carry FLS (Contact.DoNotCall, custom checkboxes).
 * Object Reference: a field is nillable ("Nillable" among its properties) or required.
 */
export function permissionable(obj: ObjectDef, f: FieldDef): boolean {
    if (obj.metadata) return false;
    const name = f.name.toLowerCase();
    if (SYSTEM_FIELDS.has(name)) return false;
    if (!f.custom && NAME_PARTS.has(name)) return false;
    if (f.custom && (f.autoNumber || f.calculated)) return true;
    if (f.type === 'boolean') return true;
    return f.nillable;
}

/** The built-in users and those a test creates. */
export interface UserSpec {
    username: string;
    lastName: string;
    firstName?: string;
    alias?: string;
    email?: string;
    /** System Administrator profile: every object, field and record (View/Modify All Data) */
    admin?: boolean;
    /** force-app permission sets assigned to the user (on the "Minimum Access" profile) */
    permissionSets?: string[];
    viewAllData?: boolean;
    modifyAllData?: boolean;
    /** Standard (internal), or a portal user type */
    userType?: 'Standard' | 'PowerCustomerSuccess' | 'CspLitePortal';
    /** portal users: their Contact */
    contactId?: string;
}

/** The integration user (row 1 of User): "Minimum Access - API Only Integrations" profile and
 *  FSE_Sync_Integration, as docs/deploy.md assigns it. */
export const INTEGRATION_USER: UserSpec = {
    username: 'integration@fse-engage.example.org',
    firstName: 'Sync',
    lastName: 'Integration',
    alias: 'sync',
    email: 'integration@example.org',
    permissionSets: ['FSE_Sync_Integration']
};

/** A System Administrator: sees and changes everything (for tests and tools that need it). */
export const ADMIN_USER: UserSpec = {
    username: 'admin@fse-engage.example.org',
    firstName: 'Org',
    lastName: 'Admin',
    alias: 'admin',
    email: 'admin@example.org',
    admin: true
};

/** Objects every user reads whatever the permission sets (the API user's own org and users;
 *  EntityDefinition / FieldDefinition describe the schema). */
// CustomNotificationType (setup data the push channel looks its Id up in): the Object Reference
// names no permission to read it; treated as readable by any API user, like User (to confirm in
// a scratch org: docs/campaigns.md, "Push")
const ALWAYS_READABLE = new Set(['user', 'organization', 'customnotificationtype']);

/**
 * What one user may do: object and field permissions merged over the user's permission sets
 * (a permission is granted when any set grants it), views of the schema holding only the fields
 * the user can read, and record access. Built once per user; views cached per object.
 */
export class UserAccess {
    readonly userId: string;
    readonly spec: UserSpec;
    /** System Administrator: no check at all */
    readonly all: boolean;
    readonly viewAllData: boolean;
    readonly modifyAllData: boolean;
    private readonly sets: PermissionSetDef[];
    private readonly hidden: ReadonlySet<string>;
    private readonly sharing: Readonly<Record<string, SharingModel>>;
    private readonly perms = new Map<string, ObjectPerms>();
    private readonly views = new Map<string, ObjectDef | null>();
    private readonly editable = new Map<FieldDef, boolean>();
    /** a schema whose objects hold only what this user can read */
    readonly schemaView: Pick<Schema, 'get'> & { objects(): ObjectDef[] };

    constructor(
        userId: string,
        spec: UserSpec,
        sets: PermissionSetDef[],
        schema: Schema,
        hidden: ReadonlySet<string>,
        sharing: Readonly<Record<string, SharingModel>>
    ) {
        this.userId = userId;
        this.spec = spec;
        this.sets = sets;
        this.hidden = hidden;
        this.sharing = sharing;
        this.all = spec.admin === true && hidden.size === 0;
        const userPerm = (name: string) => sets.some((s) => s.userPermissions.has(name));
        this.modifyAllData =
            spec.admin === true || !!spec.modifyAllData || userPerm('ModifyAllData');
        this.viewAllData = this.modifyAllData || !!spec.viewAllData || userPerm('ViewAllData');
        this.schemaView = {
            get: (name: string) => {
                const obj = schema.get(name);
                return obj ? this.view(obj) : undefined;
            },
            objects: () =>
                [...schema.objects.values()]
                    .map((o) => this.view(o))
                    .filter((o): o is ObjectDef => o !== undefined)
        };
    }

    hasCustomPermission(name: string): boolean {
        return this.sets.some((s) => s.customPermissions.has(name));
    }

    objectPerms(obj: ObjectDef): ObjectPerms {
        const key = obj.name.toLowerCase();
        let p = this.perms.get(key);
        if (p) return p;
        if (this.spec.admin) p = ALL;
        else if (obj.metadata || ALWAYS_READABLE.has(key)) p = { ...NONE, read: true };
        else if (MEMBER_OBJECTS.has(key)) {
            // read with Read on the campaign and the contact; add, edit and remove members with
            // Edit on the campaign (and Read on the contact); View/Modify All follow the campaign
            const campaign = this.setPerms('campaign');
            const contact = this.setPerms('contact');
            const write = campaign.edit && contact.read;
            p = {
                read: campaign.read && contact.read,
                create: write,
                edit: write,
                delete: write,
                viewAll: campaign.viewAll && contact.read,
                modifyAll: campaign.modifyAll && contact.read
            };
            if (this.viewAllData) p.read = p.viewAll = true;
            if (this.modifyAllData) p = { ...ALL };
        } else {
            p = this.setPerms(key);
            // Modify All includes View All; View All and the others include Read
            p.viewAll ||= p.modifyAll;
            if (this.viewAllData) p.read = p.viewAll = true;
            if (this.modifyAllData)
                p = { ...p, read: true, edit: true, delete: true, viewAll: true, modifyAll: true };
        }
        this.perms.set(key, p);
        return p;
    }

    /** The object permissions the user's permission sets grant (any set granting wins). */
    private setPerms(key: string): ObjectPerms {
        const p = { ...NONE };
        for (const s of this.sets) {
            const o = s.objects.get(key);
            if (!o) continue;
            for (const k of Object.keys(p) as (keyof ObjectPerms)[]) p[k] ||= o[k];
        }
        return p;
    }

    /** Field-level security: whether the user can read the field. */
    canReadField(obj: ObjectDef, f: FieldDef): boolean {
        if (this.hidden.has(`${obj.name}.${f.name}`.toLowerCase())) return false;
        if (this.spec.admin || !permissionable(obj, f)) return true;
        if (obj.metadata || ALWAYS_READABLE.has(obj.name.toLowerCase())) return true;
        const key = `${obj.name}.${f.name}`.toLowerCase();
        return this.sets.some((s) => s.fields.get(key)?.read === true);
    }

    /** Field-level security: whether the user can write the field (besides its own
     *  createable/updateable): required fields are writable by whoever writes the object. */
    canEditField(obj: ObjectDef, f: FieldDef): boolean {
        let v = this.editable.get(f);
        if (v !== undefined) return v;
        if (this.spec.admin || !permissionable(obj, f)) v = true;
        else if (ALWAYS_READABLE.has(obj.name.toLowerCase())) v = false;
        else {
            const key = `${obj.name}.${f.name}`.toLowerCase();
            v = this.sets.some((s) => s.fields.get(key)?.edit === true);
        }
        this.editable.set(f, v);
        return v;
    }

    /**
     * The object as this user sees it: undefined without Read on it (the API answers as for
     * an object that does not exist), otherwise the same ObjectDef shape holding only the
     * readable fields (the FieldDef objects are the schema's own).
     */
    view(obj: ObjectDef): ObjectDef | undefined {
        const key = obj.name.toLowerCase();
        const cached = this.views.get(key);
        if (cached !== undefined) return cached ?? undefined;
        let view: ObjectDef | null = null;
        if (this.objectPerms(obj).read) {
            if (this.spec.admin && !this.hasHiddenOn(obj)) view = obj;
            else {
                const fields = obj.fields.filter((f) => this.canReadField(obj, f));
                const byName = new Map<string, FieldDef>();
                const byRelationship = new Map<string, FieldDef>();
                for (const f of fields) {
                    byName.set(f.name.toLowerCase(), f);
                    if (f.type === 'reference' && f.relationshipName)
                        byRelationship.set(f.relationshipName.toLowerCase(), f);
                }
                const p = this.objectPerms(obj);
                view = {
                    ...obj,
                    createable: obj.createable && p.create,
                    updateable: obj.updateable && p.edit,
                    deletable: obj.deletable && p.delete,
                    fields,
                    byName,
                    byRelationship
                };
            }
        }
        this.views.set(key, view);
        return view ?? undefined;
    }

    private hasHiddenOn(obj: ObjectDef): boolean {
        const prefix = `${obj.name}.`.toLowerCase();
        for (const h of this.hidden) if (h.startsWith(prefix)) return true;
        return false;
    }

    sharingModel(obj: ObjectDef): SharingModel {
        return (
            this.sharing[obj.name] ??
            (obj.sharingModel as SharingModel | undefined) ??
            (obj.byName.has('ownerid') ? 'Private' : 'Public')
        );
    }

    /** Record access for one request (memoised: parents are looked up once per request). */
    rows(store: Store): RowAccess {
        return new RowAccess(this, store);
    }
}

type Level = 0 | 1 | 2 | 3; // none, read, edit, full (delete, transfer)

/**
 * Record access of one user for one request. Owner: full access. Private: the owner only.
 * Read (Public Read Only): everyone reads, the owner edits. ReadWrite / FullAccess: everyone
 * reads and edits (delete stays with the owner, except FullAccess). Controlled by Parent: the
 * access the user has to the parent record (a Contact without Account is private to its
 * owner). View All / Modify All (object) and View All Data / Modify All Data widen it.
 */
export class RowAccess {
    readonly access: UserAccess;
    private readonly store: Store;
    private readonly memo = new Map<Table, Map<number, Level>>();
    /** tables whose every row the user can read (checked once) */
    private readonly readsAllOf = new Map<Table, boolean>();

    constructor(access: UserAccess, store: Store) {
        this.access = access;
        this.store = store;
    }

    get all(): boolean {
        return this.access.all;
    }

    /** Whether the user reads every record of the table without a per-row check. */
    readsAll(table: Table): boolean {
        let v = this.readsAllOf.get(table);
        if (v === undefined) {
            const p = this.access.objectPerms(table.obj);
            const model = this.access.sharingModel(table.obj);
            v =
                this.access.all ||
                p.viewAll ||
                model === 'Public' ||
                model === 'Read' ||
                model === 'ReadWrite' ||
                model === 'ReadWriteTransfer' ||
                model === 'FullAccess';
            this.readsAllOf.set(table, v);
        }
        return v;
    }

    canRead(table: Table, row: number): boolean {
        return this.readsAll(table) || this.level(table, row) >= 1;
    }

    canEdit(table: Table, row: number): boolean {
        return this.level(table, row) >= 2;
    }

    canDelete(table: Table, row: number): boolean {
        return this.level(table, row) >= 3;
    }

    level(table: Table, row: number): Level {
        if (this.access.all) return 3;
        const p = this.access.objectPerms(table.obj);
        if (p.modifyAll) return 3;
        const shared = this.sharedLevel(table, row);
        return p.viewAll ? (Math.max(shared, 1) as Level) : shared;
    }

    /**
     * The access sharing gives (ownership, the default, the parent's sharing), without the
     * object-level View All / Modify All: those do not reach the children of a Controlled-by-
     * Parent object (Salesforce Help, "Considerations for Sharing and Accessing Contacts": View
     * All on accounts does not open their contacts; docs/privacy.md).
     */
    private sharedLevel(table: Table, row: number): Level {
        let byRow = this.memo.get(table);
        if (!byRow) {
            byRow = new Map();
            this.memo.set(table, byRow);
        }
        const known = byRow.get(row);
        if (known !== undefined) return known;
        byRow.set(row, 0); // a cycle of parents grants nothing
        const level = this.compute(table, row);
        byRow.set(row, level);
        return level;
    }

    private compute(table: Table, row: number): Level {
        const obj = table.obj;
        const owner = obj.byName.get('ownerid');
        if (owner && table.get(row, owner) === this.access.userId) return 3;
        switch (this.access.sharingModel(obj)) {
            case 'Public':
            case 'FullAccess':
                return 3;
            case 'ReadWrite':
            case 'ReadWriteTransfer':
                return 2;
            case 'Read':
                return 1;
            case 'ControlledByParent': {
                // a Contact without Account is private to its owner
                const parentField = parentFieldOf(obj);
                const parentId = parentField
                    ? (table.get(row, parentField) as string | null)
                    : null;
                const loc = parentId ? this.store.locate(parentId) : null;
                return loc ? this.sharedLevel(loc.table, loc.row) : 0;
            }
            default:
                return 0;
        }
    }
}

export { parentFieldOf };
