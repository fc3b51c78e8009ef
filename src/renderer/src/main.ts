/** Renderer entry: Vue + Pinia, the global styles, then start-up (find the backend, load state). */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { bootstrap } from './app/bootstrap';
import './styles/app.css';

const app = createApp(App);
app.use(createPinia());
// Start-up first: its requests (and the bridge's WebSocket) are on their way while the
// window's frame mounts, instead of after it.
void bootstrap();
app.mount('#app');
