import { createElement } from 'lwc';
import FseMyLearning from 'c/fseMyLearning';
import getMyLearning from '@salesforce/apex/FseLearningController.getMyLearning';
import resume from '@salesforce/apex/FseLearningController.resume';
import getCertificate from '@salesforce/apex/FseLearningController.getCertificate';
import { getNavigateCalledWith } from 'lightning/navigation';

const mockLearning = require('./data/getMyLearning.json');
const mockCertificate = require('./data/getCertificate.json');

jest.mock(
    '@salesforce/apex/FseLearningController.getMyLearning',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/FseLearningController.resume', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/FseLearningController.getCertificate', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
    virtual: true
});

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

jest.mock(
    '@salesforce/label/c.FSE_Learning_CertificateCredits',
    () => ({ default: 'Crediti ECM riconosciuti: {0}' }),
    { virtual: true }
);

function render() {
    const element = createElement('c-fse-my-learning', { is: FseMyLearning });
    document.body.appendChild(element);
    return element;
}

describe('c-fse-my-learning', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading first', async () => {
        const element = render();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('lists enrolments with progress, resume for open ones, certificate for completed', async () => {
        const element = render();
        getMyLearning.emit(mockLearning);
        await flush();
        const rows = element.shadowRoot.querySelectorAll('.fse-row');
        expect(rows.length).toBe(2);
        expect(rows[0].querySelector('lightning-progress-bar').value).toBe(40);
        expect(rows[0].querySelector('.fse-resume')).not.toBeNull();
        expect(rows[0].querySelector('.fse-certificate-button')).toBeNull();
        expect(rows[1].querySelector('.fse-certificate-button')).not.toBeNull();
        expect(rows[1].querySelector('.fse-resume')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the empty state with a real link to the catalogue', async () => {
        const element = render();
        getMyLearning.emit([]);
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('empty');
        expect($(element, 'c-fse-state-panel').emptyMessage).toBe('c.FSE_Learning_EmptyIntro');
        const link = $(element, 'a.fse-browse-catalog');
        expect(link).not.toBeNull();
        expect(link.textContent).toBe('c.FSE_Learning_BrowseCatalog');
        expect(link.getAttribute('href')).toBe('/s/generated-url');
        link.click();
        expect(getNavigateCalledWith().pageReference).toEqual({
            type: 'comm__namedPage',
            attributes: { name: 'Catalogo__c' }
        });
        await expect(element).toBeAccessible();
    });

    it('shows the error state', async () => {
        const element = render();
        getMyLearning.error({ message: 'Errore' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
    });

    it('resumes an enrolment and opens the content', async () => {
        resume.mockResolvedValue('https://formazione.example.org/corsi/fse-fond-101');
        const element = render();
        getMyLearning.emit(mockLearning);
        await flush();
        $(element, '.fse-resume').click();
        await flush();
        expect(resume).toHaveBeenCalledWith({ enrollmentId: 'a02000000000001AAA' });
        expect(getNavigateCalledWith().pageReference.attributes.url).toBe(
            'https://formazione.example.org/corsi/fse-fond-101'
        );
    });

    it('shows a printable certificate with the ECM credits', async () => {
        getCertificate.mockResolvedValue(mockCertificate);
        window.print = jest.fn();
        const element = render();
        getMyLearning.emit(mockLearning);
        await flush();
        $(element, '.fse-certificate-button').click();
        await flush();
        expect(getCertificate).toHaveBeenCalledWith({ enrollmentId: 'a02000000000002AAA' });
        expect($(element, '.fse-certificate-credits').textContent).toBe(
            'Crediti ECM riconosciuti: 1,5'
        );
        $(element, '.fse-print').click();
        expect(window.print).toHaveBeenCalled();
        await expect(element).toBeAccessible();
        $(element, '.fse-close').click();
        await flush();
        expect($(element, '.fse-certificate')).toBeNull();
    });

    it('shows an error toast when the certificate is refused', async () => {
        getCertificate.mockRejectedValue({ body: { message: 'Solo per i corsi completati' } });
        const element = render();
        getMyLearning.emit(mockLearning);
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        $(element, '.fse-certificate-button').click();
        await flush();
        expect(toast.mock.calls[0][0].detail.message).toBe('Solo per i corsi completati');
    });

    it('names resume and certificate buttons with their content', async () => {
        const element = render();
        getMyLearning.emit(mockLearning);
        await flush();
        expect($(element, '.fse-resume').ariaLabel).toBe(
            `c.FSE_Learning_Resume: ${mockLearning[0].name}`
        );
        expect($(element, '.fse-certificate-button').ariaLabel).toBe(
            `c.FSE_Learning_Certificate: ${mockLearning[1].name}`
        );
    });
});
