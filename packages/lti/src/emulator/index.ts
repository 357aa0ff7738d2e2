/**
 * `@menteo/lti/emulator`: an LTI 1.3 platform emulator for tests and demos.
 * @module
 */
export { createPlatformEmulator, type PlatformEmulator, type EmulatedTool, type EmulatedUser, type EmulatedLaunch, type EmulatedLineItem } from './platform.js';
