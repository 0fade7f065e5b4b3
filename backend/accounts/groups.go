package accounts

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Group is one permission group as GET /api/permission-groups lists it.
type Group struct {
	Name        string   `json:"name"`
	Features    []string `json:"features"`
	MemberCount int      `json:"member_count"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

// GroupRequest is POST /api/permission-groups's body (PATCH uses features).
type GroupRequest struct {
	Name     string    `json:"name,omitempty"`
	Features *[]string `json:"features,omitempty"`
}

// Groups lists the permission groups with their member counts.
func (s *Service) Groups(ctx context.Context) ([]Group, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT g.name, g.features, (SELECT COUNT(*) FROM users u WHERE u.permission_group = g.name), g.created_at, g.updated_at
		FROM permission_groups g ORDER BY g.name`)
	if err != nil {
		return nil, internal("database error", err)
	}
	defer rows.Close()
	out := []Group{}
	for rows.Next() {
		var g Group
		var features string
		if err := rows.Scan(&g.Name, &features, &g.MemberCount, &g.CreatedAt, &g.UpdatedAt); err != nil {
			return nil, internal("database error", err)
		}
		g.Features = nonNil(lenientFeatures(&features))
		g.CreatedAt, g.UpdatedAt = kanadeTime(g.CreatedAt), kanadeTime(g.UpdatedAt)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("database error", err)
	}
	return out, nil
}

func groupFeatures(f *[]string) ([]string, error) {
	if f == nil {
		return []string{}, nil
	}
	return CanonicalFeatures(nonNil(*f))
}

// CreateGroup adds a group; without features it grants the commons only.
func (s *Service) CreateGroup(ctx context.Context, by Identity, req GroupRequest) error {
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return invalid("group name required")
	}
	features, err := groupFeatures(req.Features)
	if err != nil {
		return err
	}
	now := s.stamp()
	_, err = s.w.ExecContext(ctx, "INSERT INTO permission_groups (name, features, created_at, updated_at) VALUES (?, ?, ?, ?)", name, *encodeFeatures(features), now, now)
	if isUniqueViolation(err) {
		return conflict("group already exists")
	}
	if err != nil {
		return internal("database error", err)
	}
	s.record(ctx, by, "permission_group.create", name, map[string]any{"features": features})
	return nil
}

// UpdateGroup replaces a group's features.
func (s *Service) UpdateGroup(ctx context.Context, by Identity, name string, req GroupRequest) error {
	features, err := groupFeatures(req.Features)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, "UPDATE permission_groups SET features = ?, updated_at = ? WHERE name = ?", *encodeFeatures(features), s.stamp(), name)
	if err != nil {
		return internal("database error", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no such group")
	}
	s.record(ctx, by, "permission_group.update", name, map[string]any{"features": features})
	return nil
}

// DeleteGroup removes a group that has no members.
func (s *Service) DeleteGroup(ctx context.Context, by Identity, name string) error {
	res, err := s.w.ExecContext(ctx, "DELETE FROM permission_groups WHERE name = ?1 AND NOT EXISTS (SELECT 1 FROM users WHERE permission_group = ?1)", name)
	if err != nil {
		return internal("database error", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if err := s.r.QueryRowContext(ctx, "SELECT 1 FROM permission_groups WHERE name = ?", name).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return notFound("no such group")
		}
		return conflict("group still has member(s); reassign them first")
	}
	s.record(ctx, by, "permission_group.delete", name, map[string]any{})
	return nil
}
