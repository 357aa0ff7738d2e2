import { css } from 'lit';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { formWidgetStyles } from '../internal/form.styles.js';

export const checkInStyles = [buttonStyles, formStyles, stateStyles, formWidgetStyles, css``];
