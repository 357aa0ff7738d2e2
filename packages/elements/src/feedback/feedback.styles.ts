import { buttonStyles, cardStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { formWidgetStyles } from '../internal/form.styles.js';

export const feedbackStyles = [cardStyles, buttonStyles, formStyles, stateStyles, formWidgetStyles];
