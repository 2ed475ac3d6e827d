import { unsubscribeLinks } from '../../src/campaigns/unsubscribe.ts';

// RFC 8058 one-click needs a receiver that takes the mail client's POST; Apex REST refuses
// multipart/form-data (docs/campaigns.md, "One click"), so one-click is advertised only when a
// oneClickUrl is configured on purpose. Without it, List-Unsubscribe (RFC 2369) lists the page
// link (or the mailto) and there is no List-Unsubscribe-Post.
const TOKEN = 'dGVzdC10b2tlbi0wMDctQWJDZEVmR2hJaktsTW5PcFFyU3RVdg';
const PAGE = 'https://portale.fse.example.org/fse/s/disiscrizione';

describe('unsubscribe links and headers', () => {
    it('without a one-click URL: the page link in List-Unsubscribe, no one-click POST', () => {
        const links = unsubscribeLinks(TOKEN, { pageUrl: PAGE, key: 'm1:email:1' });
        expect(links.page).toBe(`${PAGE}?t=${TOKEN}`);
        expect(links.headers).toEqual({ 'List-Unsubscribe': `<${PAGE}?t=${TOKEN}>` });
    });

    it('with a mailbox: the mailto in List-Unsubscribe, no POST', () => {
        const links = unsubscribeLinks(TOKEN, {
            pageUrl: PAGE,
            mailto: 'disiscrizioni@fse.example.org',
            key: 'm1:email:1'
        });
        expect(links.headers).toEqual({
            'List-Unsubscribe':
                '<mailto:disiscrizioni@fse.example.org?subject=disiscrizione%20m1%3Aemail%3A1>'
        });
    });

    it('a configured one-click endpoint is listed first and announced with List-Unsubscribe-Post', () => {
        const oneClickUrl = 'https://unsubscribe.regione.example.org/fse/one-click';
        const links = unsubscribeLinks(TOKEN, { pageUrl: PAGE, oneClickUrl, key: 'm1:email:1' });
        expect(links.headers).toEqual({
            'List-Unsubscribe': `<${oneClickUrl}?t=${TOKEN}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
        });
    });
});
