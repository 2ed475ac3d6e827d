// lightning/platformResourceLoader in the browser: loads a static resource once per URL.
const loaded = new Map();

function load(url, create) {
    if (!loaded.has(url)) {
        loaded.set(
            url,
            new Promise((resolve, reject) => {
                const element = create();
                element.onload = () => resolve();
                element.onerror = () => {
                    loaded.delete(url);
                    reject(new Error(`Could not load ${url}`));
                };
                document.head.appendChild(element);
            })
        );
    }
    return loaded.get(url);
}

export function loadScript(component, url) {
    return load(url, () => {
        const script = document.createElement('script');
        script.src = url;
        return script;
    });
}

export function loadStyle(component, url) {
    return load(url, () => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = url;
        return link;
    });
}
