// The workbench page: a list of every component × state on the left, the component on the right,
// toasts and navigations the component asked for below it. ?lang=en switches to English, ?bare=1
// shows the component alone (browser tests). Exposes window.fseWorkbench for the tests.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import { setApexHandlers, apexCalls } from 'wb/apex';
import {
    setPageReference,
    recordToast,
    platformEvents,
    clearPlatformEvents,
    onPlatformEvent
} from 'wb/shell';
import { lang, bare } from 'wb/settings';
import { SCENARIOS, COMPONENT_NAMES } from './scenarios';

const TEXT = {
    it: {
        title: 'Workbench dei componenti FSE Engage',
        components: 'Componenti e stati',
        language: 'Lingua',
        events: 'Richieste alla piattaforma',
        none: 'Nessuna',
        choose: 'Scegli un componente e uno stato.',
        portal: 'Portale FSE 2.0',
        console: 'Console di assistenza',
        privacy: 'Console privacy',
        admin: 'Amministrazione'
    },
    en: {
        title: 'FSE Engage component workbench',
        components: 'Components and states',
        language: 'Language',
        events: 'Requests to the platform',
        none: 'None',
        choose: 'Pick a component and a state.',
        portal: 'FSE 2.0 portal',
        console: 'Service console',
        privacy: 'Privacy console',
        admin: 'Administration'
    }
}[lang];

const byId = new Map(SCENARIOS.map((s) => [s.id, s]));
let mounted;

function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    children.forEach((c) => node.append(c));
    return node;
}

function showToast(toast) {
    const region = document.getElementById('wb-toasts');
    const variant = toast.variant || 'info';
    const node = el(
        'div',
        {
            class: `slds-notify slds-notify_toast slds-theme_${variant === 'error' ? 'error' : variant === 'success' ? 'success' : 'info'}`,
            role: variant === 'error' ? 'alert' : 'status'
        },
        el(
            'div',
            { class: 'slds-notify__content' },
            el('h2', { class: 'slds-text-heading_small' }, toast.title || ''),
            el('p', {}, toast.message || '')
        )
    );
    region.append(node);
    setTimeout(() => node.remove(), 6000);
}

function renderEvents() {
    const list = document.getElementById('wb-events');
    if (!list) return;
    list.replaceChildren(
        ...(platformEvents().length
            ? platformEvents().map((e) => el('li', {}, JSON.stringify(e)))
            : [el('li', {}, TEXT.none)])
    );
}

function mount(id) {
    const scenario = byId.get(id);
    if (mounted) {
        mounted.remove();
        mounted = undefined;
    }
    clearPlatformEvents();
    renderEvents();
    // a toast belongs to the component that raised it: none carried over to the next one
    document.getElementById('wb-toasts')?.replaceChildren();
    const stage = document.getElementById('wb-stage');
    if (!scenario) {
        stage.replaceChildren(el('p', { class: 'slds-p-around_medium' }, TEXT.choose));
        return;
    }
    setApexHandlers(scenario.apex());
    setPageReference({
        type: 'comm__namedPage',
        attributes: { name: scenario.component },
        state: { ...scenario.pageState }
    });
    const element = createElement(scenario.tag, { is: scenario.ctor });
    Object.assign(element, scenario.props);
    stage.replaceChildren(element);
    mounted = element;
    document.title = `${scenario.id} · ${TEXT.title}`;
    document.querySelectorAll('#wb-nav a').forEach((a) => {
        if (a.getAttribute('href') === `#${id}`) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
    });
}

function buildChrome() {
    document.documentElement.lang = lang;
    const page = document.getElementById('wb-page');
    if (bare) {
        page.append(el('main', { id: 'wb-stage', class: 'wb-stage' }), toasts());
        return;
    }
    const nav = el('nav', { id: 'wb-nav', class: 'wb-nav', 'aria-label': TEXT.components });
    nav.append(el('h2', { class: 'slds-text-heading_small slds-m-bottom_small' }, TEXT.components));
    for (const area of ['portal', 'console', 'privacy', 'admin']) {
        nav.append(el('h3', { class: 'slds-text-title_caps slds-m-top_small' }, TEXT[area]));
        const list = el('ul', {});
        COMPONENT_NAMES.filter(
            (name) => SCENARIOS.find((s) => s.component === name).area === area
        ).forEach((name) => {
            const states = SCENARIOS.filter((s) => s.component === name);
            const item = el('li', { class: 'slds-m-top_x-small' }, el('strong', {}, name));
            const links = el('ul', { class: 'wb-states' });
            states.forEach((s) =>
                links.append(el('li', {}, el('a', { href: `#${s.id}` }, s.state)))
            );
            item.append(links);
            list.append(item);
        });
        nav.append(list);
    }
    const other = lang === 'en' ? 'it' : 'en';
    const header = el(
        'header',
        { class: 'wb-header slds-grid slds-grid_align-spread slds-p-around_small' },
        el('h1', { class: 'slds-text-heading_medium' }, TEXT.title),
        el(
            'p',
            {},
            `${TEXT.language}: `,
            el(
                'a',
                { id: 'wb-lang', href: `?lang=${other}${location.hash}` },
                other === 'en' ? 'English' : 'Italiano'
            )
        )
    );
    const events = el(
        'section',
        {
            class: 'slds-m-top_medium slds-p-around_small wb-events',
            'aria-labelledby': 'wb-events-title'
        },
        el('h2', { id: 'wb-events-title', class: 'slds-text-title_caps' }, TEXT.events),
        el('ul', { id: 'wb-events' })
    );
    page.append(
        header,
        el(
            'div',
            { class: 'wb-body' },
            nav,
            el(
                'div',
                { class: 'wb-main' },
                el('main', { id: 'wb-stage', class: 'wb-stage' }),
                events
            )
        ),
        toasts()
    );
}

function toasts() {
    // bare (tests): toasts below the component, in the flow, so they never cover what axe checks
    return el('div', {
        id: 'wb-toasts',
        class: bare ? 'wb-toasts_inline' : 'slds-notify_container wb-toasts',
        'aria-live': 'polite'
    });
}

onPlatformEvent(() => renderEvents());
document.addEventListener('lightning__showtoast', (event) => {
    recordToast(event.detail || {});
    showToast(event.detail || {});
});

// For the browser tests: scenario list, mounting, what the component asked of the platform.
window.fseWorkbench = {
    lang,
    scenarios: SCENARIOS.map((s) => ({
        id: s.id,
        component: s.component,
        state: s.state,
        area: s.area,
        tag: s.tag
    })),
    mount: (id) => {
        window.location.hash = id;
        mount(id);
    },
    apexCalls,
    platformEvents
};

buildChrome();
window.addEventListener('hashchange', () => mount(location.hash.slice(1)));
mount(location.hash.slice(1));
