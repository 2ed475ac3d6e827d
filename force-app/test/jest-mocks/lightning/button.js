// lightning-button stub: sfdx-lwc-jest's, plus the public aria-label and focus() of the real base
// component (lightning-base-components' button forwards aria-label to its inner <button>, so the
// host carries no aria attribute; without @api ariaLabel the stub would put one on the host).
import { LightningElement, api } from 'lwc';

export default class Button extends LightningElement {
    @api disabled;
    @api iconName;
    @api iconPosition;
    @api label;
    @api name;
    @api type;
    @api value;
    @api variant;
    @api disableAnimation;
    @api stretch;
    @api title;
    @api ariaLabel;
    @api ariaExpanded;
    @api ariaControls;

    @api focus() {
        this.dispatchEvent(new CustomEvent('stubfocus', { bubbles: true }));
    }
}
