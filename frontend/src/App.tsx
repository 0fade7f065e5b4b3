import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter, Navigate, Route, Routes, useParams } from "react-router-dom";
import { shouldRetry, useBackendEvents } from "./api/hooks";
import Layout from "./components/Layout";
import { ConfirmProvider, ToastProvider } from "./components/overlay";
import { TokenPromptHost } from "./components/TokenDialog";
import ActivityPage from "./pages/Activity";
import ApiDocsPage from "./pages/ApiDocs";
import AgentsPage from "./pages/Agents";
import AuditPage from "./pages/Audit";
import ConfigPage from "./pages/Config";
import ConnectPage from "./pages/Connect";
import DashboardPage from "./pages/Dashboard";
import ExecPage from "./pages/Exec";
import { ExecutionDetailPage, ExecutionsPage } from "./pages/Executions";
import InventorySearchPage from "./pages/InventorySearch";
import PcHistoryPage from "./pages/PcHistory";
import RunningPage from "./pages/Running";
import InventoryPage, { PcInventoryPage } from "./pages/Inventory";
import JobsPage, { JobEditorPage } from "./pages/Jobs";
import LoginPage from "./pages/Login";
import LogsPage from "./pages/Logs";
import NotFoundPage from "./pages/NotFound";
import AccountsPage from "./pages/Accounts";
import PasswordSetupPage from "./pages/PasswordSetup";
import PermissionGroupsPage from "./pages/PermissionGroups";
import ProfilePage from "./pages/Profile";
import ResultDetailPage from "./pages/ResultDetail";
import RolloutPage from "./pages/Rollout";
import RunPage from "./pages/Run";
import SchedulesPage, { ScheduleEditorPage } from "./pages/Schedules";
import SettingsPage from "./pages/Settings";
import StatusPage from "./pages/Status";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      gcTime: 5 * 60_000,
      retry: shouldRetry,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

function BackendEvents() {
  useBackendEvents();
  return null;
}

function LegacyResultRedirect() {
  const { resultId } = useParams();
  return <Navigate to={`/activity/${resultId ?? ""}`} replace />;
}

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <ConfirmProvider>
          <BrowserRouter>
            <BackendEvents />
            <TokenPromptHost />
            <Routes>
              <Route path="login" element={<LoginPage />} />
              <Route path="password-setup/:token" element={<PasswordSetupPage />} />
              <Route element={<Layout />}>
                <Route index element={<Navigate to="/dashboard" replace />} />
                <Route path="dashboard" element={<DashboardPage />} />
                <Route path="agents" element={<AgentsPage />} />
                <Route path="run" element={<RunPage />} />
                <Route path="activity" element={<ActivityPage />} />
                <Route path="activity/:resultId" element={<ResultDetailPage />} />
                <Route path="results" element={<Navigate to="/activity" replace />} />
                <Route path="results/:resultId" element={<LegacyResultRedirect />} />
                <Route path="executions" element={<ExecutionsPage />} />
                <Route path="executions/:execId" element={<ExecutionDetailPage />} />
                <Route path="running" element={<RunningPage />} />
                <Route path="jobs" element={<JobsPage />} />
                <Route path="jobs/new" element={<JobEditorPage />} />
                <Route path="jobs/:jobId/edit" element={<JobEditorPage />} />
                <Route path="exec" element={<ExecPage />} />
                <Route path="schedules" element={<SchedulesPage />} />
                <Route path="schedules/new" element={<ScheduleEditorPage />} />
                <Route path="schedules/:scheduleId/edit" element={<ScheduleEditorPage />} />
                <Route path="inventory" element={<InventoryPage />} />
                <Route path="inventory/search" element={<InventorySearchPage />} />
                <Route path="inventory/pc/:pcId" element={<PcInventoryPage />} />
                <Route path="inventory/pc/:pcId/history" element={<PcHistoryPage />} />
                <Route path="audit" element={<AuditPage />} />
                <Route path="logs" element={<LogsPage />} />
                <Route path="rollout" element={<RolloutPage />} />
                <Route path="config" element={<ConfigPage />} />
                <Route path="status" element={<StatusPage />} />
                <Route path="connect" element={<ConnectPage />} />
                <Route path="settings" element={<SettingsPage />} />
                <Route path="api-docs" element={<ApiDocsPage />} />
                <Route path="jetstream" element={<Navigate to="/status" replace />} />
                <Route path="profile" element={<ProfilePage />} />
                <Route path="accounts" element={<AccountsPage />} />
                <Route path="permission-groups" element={<PermissionGroupsPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </ConfirmProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
