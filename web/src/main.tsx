/** Portal entry: the router. Pages are lazy-loaded so the initial JS holds only React, the router and the frame. */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout.js';
import { Loading } from './components/ui.js';
import { SessionProvider } from './session.js';
import './styles.css';

const pages = {
  home: () => import('./pages/HomePage.js'),
  catalog: () => import('./pages/CatalogPage.js'),
  entity: () => import('./pages/EntityPage.js'),
  locations: () => import('./pages/LocationsPage.js'),
  search: () => import('./pages/SearchPage.js'),
  create: () => import('./pages/CreatePage.js'),
  tasks: () => import('./pages/TasksPage.js'),
  task: () => import('./pages/TaskPage.js'),
  tokens: () => import('./pages/TokensPage.js'),
  audit: () => import('./pages/AuditPage.js'),
  notFound: () => import('./pages/NotFoundPage.js'),
};
// The template form (JSON-Schema form library and validator, ~100 KB gz) loads only when a template is opened.
const TemplatePage = lazy(() => import('./pages/TemplatePage.js'));
const HomePage = lazy(pages.home);
const CatalogPage = lazy(pages.catalog);
const EntityPage = lazy(pages.entity);
const LocationsPage = lazy(pages.locations);
const SearchPage = lazy(pages.search);
const CreatePage = lazy(pages.create);
const TasksPage = lazy(pages.tasks);
const TaskPage = lazy(pages.task);
const TokensPage = lazy(pages.tokens);
const AuditPage = lazy(pages.audit);
const NotFoundPage = lazy(pages.notFound);

// Once the first page is up, fetch the other pages' code (a few KB) so that navigating never waits for it.
window.addEventListener('load', () => setTimeout(() => Object.values(pages).forEach((load) => void load().catch(() => undefined)), 1500));

function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Layout>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/" element={<HomePage />} />
              <Route path="/catalog" element={<CatalogPage />} />
              <Route path="/catalog/:namespace/:kind/:name" element={<EntityPage />} />
              <Route path="/locations" element={<LocationsPage />} />
              <Route path="/search" element={<SearchPage />} />
              <Route path="/create" element={<CreatePage />} />
              <Route path="/create/tasks" element={<TasksPage />} />
              <Route path="/create/tasks/:id" element={<TaskPage />} />
              <Route path="/create/:namespace/:name" element={<TemplatePage />} />
              <Route path="/settings" element={<TokensPage />} />
              <Route path="/settings/tokens" element={<TokensPage />} />
              <Route path="/audit" element={<AuditPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </Layout>
      </SessionProvider>
    </BrowserRouter>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
