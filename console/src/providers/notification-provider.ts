import type { NotificationProvider } from '@refinedev/core';
import { notification } from 'antd';

/**
 * Refine's notices through antd's notification API: what @refinedev/antd's provider does,
 * without its undo countdown (a progress bar this console never asks for), and without antd's
 * App context, whose modal and message hooks would come with it into every page's first load.
 */
export const consoleNotifications: NotificationProvider = {
  open: ({ key, message, description, type }) => notification.open({ key, message, description, type: type === 'progress' ? 'info' : type }),
  close: (key) => notification.destroy(key),
};
