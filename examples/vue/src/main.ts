// Registers the Menteo elements the page uses (the room loads its tabs' elements itself), then
// mounts the Vue app. The generated `@menteo/elements/vue` typings make vue-tsc check every
// `<menteo-…>` tag's props and `@menteo-…` events.
import '@menteo/elements/define/provider';
import '@menteo/elements/define/room';
import '@menteo/elements/define/roadmap';
import '@menteo/elements/define/thread-feed';
import type {} from '@menteo/elements/vue';
import { createApp } from 'vue';
import App from './App.vue';

const root = document.getElementById('app');
if (root) {
  const { menteoUrl = '', roomId = '', roadmapId = '' } = root.dataset;
  createApp(App, { menteoUrl, roomId, roadmapId }).mount(root);
}
