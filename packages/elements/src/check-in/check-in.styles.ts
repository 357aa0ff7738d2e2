import { buttonStyles, cardStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { formWidgetStyles } from '../internal/form.styles.js';

export const checkInStyles = [cardStyles, buttonStyles, formStyles, stateStyles, formWidgetStyles];
