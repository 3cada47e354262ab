/** Portal entry: the router. Pages are lazy-loaded so the initial JS holds only React, the router and the frame. */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout.js';
import { Loading } from './components/ui.js';
import './styles.css';

const pages = {
  home: () => import('./pages/HomePage.js'),
  catalog: () => import('./pages/CatalogPage.js'),
  entity: () => import('./pages/EntityPage.js'),
  locations: () => import('./pages/LocationsPage.js'),
  search: () => import('./pages/SearchPage.js'),
  notFound: () => import('./pages/NotFoundPage.js'),
};
const HomePage = lazy(pages.home);
const CatalogPage = lazy(pages.catalog);
const EntityPage = lazy(pages.entity);
const LocationsPage = lazy(pages.locations);
const SearchPage = lazy(pages.search);
const NotFoundPage = lazy(pages.notFound);

// Once the first page is up, fetch the other pages' code (a few KB) so that navigating never waits for it.
window.addEventListener('load', () => setTimeout(() => Object.values(pages).forEach((load) => void load().catch(() => undefined)), 1500));

function App() {
  return (
    <BrowserRouter>
      <Layout>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/catalog" element={<CatalogPage />} />
            <Route path="/catalog/:namespace/:kind/:name" element={<EntityPage />} />
            <Route path="/locations" element={<LocationsPage />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </Layout>
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
