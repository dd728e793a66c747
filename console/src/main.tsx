import { createRoot } from 'react-dom/client';
import { loadRuntimeConfig } from '@/config/runtime-config';
import { createConsoleServices } from '@/providers/console-services';
import { App } from './App';

void loadRuntimeConfig().then((config) => {
  createRoot(document.getElementById('root')!).render(<App services={createConsoleServices(config)} />);
});
