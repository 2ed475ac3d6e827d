// Invocable actions (Actions Developer Guide): only the standard customNotificationAction, which
// the campaign send uses for push. Custom notification types come from force-app
// (`notificationtypes/*.notiftype-meta.xml`, Metadata API "CustomNotificationType") as rows of the
// CustomNotificationType object (Object Reference: Id 0ML…, DeveloperName, CustomNotifTypeName,
// MasterLabel, Description, Desktop, Mobile), queryable like any object.
//
// POST /services/data/vNN.N/actions/standard/customNotificationAction {"inputs": [...]}: each
// input needs customNotifTypeId (an existing type), recipientIds (active users, or groups; at most
// 500), title (at most 250 characters), body (at most 750) and targetId or targetPageRef
// ("Custom Notification Actions", Inputs). The answer is one result per input, in order:
// {"actionName": "customNotificationAction", "errors": null, "isSuccess": true, "outputValues":
// {"SuccessMessage": "Your custom notification is processed successfully."}} (the guide's sample);
// a failed input has isSuccess false and errors [{statusCode, message, fields}]. Not checked
// against an org (the emulator's choice, the worker copes with both): the HTTP status is 200 when
// every input succeeded and 400 with the same array when one failed; the status codes
// INVALID_INPUT / REQUIRED_FIELD_MISSING / STRING_TOO_LONG / INVALID_ID_FIELD. GET answers the
// action's description. Sent notifications are kept in `org.notifications` for tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FieldDef } from './schema.ts';
import type { Store, Value } from './store.ts';

export interface NotificationTypeDef {
    developerName: string;
    name: string;
    label: string;
    description: string;
    desktop: boolean;
    mobile: boolean;
}

export interface SentNotification {
    typeId: string;
    recipientId: string;
    title: string;
    body: string;
    targetId: string | null;
    targetPageRef: string | null;
    at: number;
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

/** The custom notification types of a force-app folder (none when it has no notificationtypes/). */
export function loadNotificationTypes(metadataDir: string | undefined): NotificationTypeDef[] {
    if (!metadataDir) return [];
    const dir = [
        join(metadataDir, 'main', 'default', 'notificationtypes'),
        join(metadataDir, 'notificationtypes')
    ].find(existsSync);
    if (!dir) return [];
    return readdirSync(dir)
        .filter((f) => f.endsWith('.notiftype-meta.xml'))
        .sort()
        .map((file) => {
            const doc =
                (
                    xml.parse(readFileSync(join(dir, file), 'utf8')) as {
                        CustomNotificationType?: Record<string, string>;
                    }
                ).CustomNotificationType ?? {};
            return {
                developerName: file.replace(/\.notiftype-meta\.xml$/, ''),
                name: String(doc.customNotifTypeName ?? ''),
                label: String(doc.masterLabel ?? ''),
                description: String(doc.description ?? ''),
                desktop: String(doc.desktop) === 'true',
                mobile: String(doc.mobile) === 'true'
            };
        });
}

/** Rows of CustomNotificationType for the types of force-app. */
export function seedNotificationTypes(
    store: Store,
    types: readonly NotificationTypeDef[],
    now: number
): void {
    const obj = store.schema.get('CustomNotificationType');
    if (!obj) return;
    const table = store.table(obj);
    const f = (n: string) => obj.byName.get(n.toLowerCase())!;
    for (const t of types) {
        table.insert(
            new Map<FieldDef, Value>([
                [f('DeveloperName'), t.developerName],
                [f('CustomNotifTypeName'), t.name],
                [f('MasterLabel'), t.label],
                [f('Description'), t.description || null],
                [f('Desktop'), t.desktop],
                [f('Mobile'), t.mobile]
            ]),
            now,
            store.userId
        );
    }
}

interface ActionError {
    statusCode: string;
    message: string;
    fields: string[];
}

type Result = {
    actionName: string;
    errors: ActionError[] | null;
    isSuccess: boolean;
    outputValues: Record<string, unknown> | null;
};

const failed = (statusCode: string, message: string, field?: string): Result => ({
    actionName: 'customNotificationAction',
    errors: [{ statusCode, message, fields: field ? [field] : [] }],
    isSuccess: false,
    outputValues: null
});

/** Whether `id` is a live row of `object` in the store. */
function exists(store: Store, id: unknown, objects: string[]): boolean {
    if (typeof id !== 'string') return false;
    const at = store.locate(id);
    return !!at && objects.includes(at.table.obj.name) && at.table.isLive(at.row);
}

function activeUser(store: Store, id: string): boolean {
    const at = store.locate(id);
    if (!at || at.table.obj.name !== 'User') return at?.table.obj.name === 'Group';
    return at.table.get(at.row, at.table.obj.byName.get('isactive')!) === true;
}

/** One input of the action: validated, then recorded as sent. */
export function notify(
    store: Store,
    input: Record<string, unknown>,
    sent: SentNotification[],
    now: number
): Result {
    const typeId = input.customNotifTypeId;
    if (typeof typeId !== 'string' || !typeId)
        return failed(
            'REQUIRED_FIELD_MISSING',
            'Missing required input parameter: customNotifTypeId',
            'customNotifTypeId'
        );
    if (!exists(store, typeId, ['CustomNotificationType']))
        return failed(
            'INVALID_ID_FIELD',
            `Invalid custom notification type id: ${typeId}`,
            'customNotifTypeId'
        );
    const recipients = input.recipientIds;
    if (!Array.isArray(recipients) || recipients.length === 0)
        return failed(
            'REQUIRED_FIELD_MISSING',
            'Missing required input parameter: recipientIds',
            'recipientIds'
        );
    if (recipients.length > 500)
        return failed('INVALID_INPUT', 'You can specify up to 500 recipients.', 'recipientIds');
    const title = input.title;
    const body = input.body;
    if (typeof title !== 'string' || !title.trim())
        return failed('REQUIRED_FIELD_MISSING', 'Missing required input parameter: title', 'title');
    if (typeof body !== 'string' || !body.trim())
        return failed('REQUIRED_FIELD_MISSING', 'Missing required input parameter: body', 'body');
    if (title.length > 250)
        return failed('STRING_TOO_LONG', 'title: data value too large (max length=250)', 'title');
    if (body.length > 750)
        return failed('STRING_TOO_LONG', 'body: data value too large (max length=750)', 'body');
    if (!input.targetId && !input.targetPageRef)
        return failed(
            'INVALID_INPUT',
            'You must specify either a targetId or a targetPageRef.',
            'targetId'
        );
    for (const r of recipients) {
        if (typeof r !== 'string' || !store.locate(r))
            return failed(
                'INVALID_INPUT',
                `Invalid recipient id: ${String(r).slice(0, 18)}`,
                'recipientIds'
            );
    }
    // "The notification is sent to this user, if this user is active": inactive users get none
    for (const r of recipients as string[]) {
        if (!activeUser(store, r)) continue;
        sent.push({
            typeId,
            recipientId: store.locate(r)!.id,
            title,
            body,
            targetId: typeof input.targetId === 'string' ? input.targetId : null,
            targetPageRef: typeof input.targetPageRef === 'string' ? input.targetPageRef : null,
            at: now
        });
    }
    return {
        actionName: 'customNotificationAction',
        errors: null,
        isSuccess: true,
        outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' }
    };
}

/** The description GET answers (a subset of the action's describe). */
export function describeAction(): Record<string, unknown> {
    return {
        name: 'customNotificationAction',
        label: 'Send Custom Notification',
        type: 'CUSTOM_NOTIFICATION_ACTION',
        inputs: [
            'customNotifTypeId',
            'recipientIds',
            'senderId',
            'title',
            'body',
            'targetId',
            'targetPageRef'
        ].map((name) => ({
            name,
            required: ['customNotifTypeId', 'recipientIds', 'title', 'body'].includes(name)
        })),
        outputs: [{ name: 'SuccessMessage', type: 'STRING' }]
    };
}
