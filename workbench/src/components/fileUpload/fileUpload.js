import { LightningElement, api } from 'lwc';
import { lang } from 'wb/settings';

/**
 * lightning-file-upload stand-in: the platform's component uploads to the record through Salesforce
 * (not available here). This one has the same public API, lets a person pick files and fires
 * 'uploadfinished' with { files: [{ name, documentId }] } as the platform does after the upload.
 */
export default class FileUpload extends LightningElement {
    @api label;
    @api recordId;
    @api accept;
    @api multiple = false;
    @api disabled = false;
    @api name;

    buttonText = lang === 'en' ? 'Upload Files' : 'Carica file';
    dropText = lang === 'en' ? 'Or drop files' : 'Oppure trascina i file';

    get acceptText() {
        return Array.isArray(this.accept) ? this.accept.join(',') : this.accept;
    }

    handleChange(event) {
        const files = [...event.target.files].map((file, i) => ({
            name: file.name,
            documentId: `069WORKBENCH${String(i).padStart(6, '0')}`
        }));
        if (files.length) {
            this.dispatchEvent(new CustomEvent('uploadfinished', { detail: { files } }));
        }
    }
}
