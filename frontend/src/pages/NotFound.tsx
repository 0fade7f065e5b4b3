import { Link, useLocation } from "react-router-dom";

export default function NotFoundPage() {
  const loc = useLocation();
  return (
    <div className="page" data-testid="page-not-found">
      <div className="card">
        <div className="state">
          <h1 style={{ marginBottom: 6 }}>Not found</h1>
          <p>
            Nothing lives at <code>{loc.pathname}</code>.
          </p>
          <Link className="btn btn-primary" to="/dashboard">
            Go to the dashboard
          </Link>
        </div>
      </div>
    </div>
  );
}
