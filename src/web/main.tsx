import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { RouterProvider } from './app/router';
import { SessionProvider } from './app/session';
import './styles.css';

dayjs.locale('zh-cn');

/**
 * Colours darkened from Ant Design's defaults so that text meets WCAG AA contrast (4.5:1) on
 * white and on the #f5f5f5 page background: links, secondary text, messages at fields
 * (error/warning/success) and danger buttons.
 */
const THEME = {
  token: {
    colorPrimary: '#1f4e9c',
    colorLink: '#1f4e9c',
    colorInfo: '#1f4e9c',
    colorError: '#cf1322',
    colorWarning: '#874d00',
    colorSuccess: '#237804',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    borderRadius: 4,
  },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={THEME}>
      <AntApp>
        <RouterProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </RouterProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
