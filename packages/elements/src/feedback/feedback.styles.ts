import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { formWidgetStyles } from '../internal/form.styles.js';

export const feedbackStyles = [buttonStyles, formStyles, stateStyles, formWidgetStyles];
