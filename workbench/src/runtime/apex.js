// @salesforce/apex/* in the browser. Each method is callable (imperative Apex, a Promise) and a
// wire adapter (@wire), like on the platform. Answers come from the scenario's handlers (the Jest
// tests' __tests__/data fixtures); a method without a handler fails like a missing Apex method.
// Wired data are deep-frozen: on the platform they are read-only, and a component that mutates
// them breaks there.

let handlers = {};
const calls = [];
const adapterOf = new WeakMap();

/** Sets the answers for the scenario being shown: { 'Ctrl.method': (params) => value }. */
export function setApexHandlers(next) {
    handlers = next || {};
    calls.length = 0;
}

/** Every Apex call since the scenario was set: [{ method, params }]. */
export function apexCalls() {
    return calls.map((c) => ({ method: c.method, params: c.params }));
}

function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function deepFreeze(value) {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value).forEach(deepFreeze);
    }
    return value;
}

/** An Apex error as LWC receives it (FetchResponse with the Apex body). */
export function apexError(body, status = 500) {
    return { status, statusText: 'Server Error', ok: false, headers: {}, body };
}

function invoke(method, params) {
    calls.push({ method, params: clone(params) });
    const handler = handlers[method];
    if (!handler) {
        return Promise.reject(
            apexError({
                message: `No fixture for Apex method ${method}`,
                exceptionType: 'System.NoSuchMethodException',
                stackTrace: ''
            })
        );
    }
    try {
        return Promise.resolve(handler(clone(params))).then(clone);
    } catch (error) {
        return Promise.reject(error);
    }
}

export function apexMethod(method) {
    const call = (params = {}) => invoke(method, params);
    call.adapter = class ApexWireAdapter {
        constructor(dataCallback) {
            this.dataCallback = dataCallback;
            this.config = undefined;
            this.sequence = 0;
        }
        connect() {}
        disconnect() {
            this.sequence++;
        }
        update(config) {
            this.config = { ...config };
            this.fetch();
        }
        fetch() {
            const config = this.config || {};
            // like the platform, a wire whose reactive parameters are still undefined does not call
            if (Object.values(config).some((value) => value === undefined)) {
                return Promise.resolve();
            }
            const sequence = ++this.sequence;
            return invoke(method, config).then(
                (data) => this.emit(sequence, { data: deepFreeze(data), error: undefined }),
                (error) => this.emit(sequence, { data: undefined, error })
            );
        }
        emit(sequence, value) {
            if (sequence !== this.sequence) {
                return;
            }
            adapterOf.set(value, this);
            this.dataCallback(value);
        }
    };
    return call;
}

/** refreshApex: calls the Apex method of a wired value again and provisions the new answer. */
export function refreshApex(wiredValue) {
    const adapter = wiredValue && adapterOf.get(wiredValue);
    return adapter ? adapter.fetch() : Promise.resolve();
}

export function getSObjectValue(record, field) {
    const name = typeof field === 'string' ? field : field.fieldApiName;
    return name.split('.').reduce((value, part) => (value ? value[part] : undefined), record);
}
