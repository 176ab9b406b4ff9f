package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The staff accounts page, /admin/staff (admins only): list, create with a
// role and a password, change a role, disable (which ends the member's
// sessions at once). Members cannot change their own role or disable
// themselves, so that the last admin cannot lock everyone out by mistake.

// minStaffPassword is the least length of a password set here (SECURITY.md
// #6 welcomes long ones; store.MaxPasswordBytes caps them).
const minStaffPassword = 12

// staffPage is GET /admin/staff.
func (a *admin) staffPage(c echo.Context) error {
	p := a.portal(c)
	props, err := a.staffProps(c, p)
	if err != nil {
		return err
	}
	if d := c.QueryParam("done"); d == "created" || d == "role" || d == "disabled" {
		props.Done = p.T("admin.staff.done." + d)
	}
	return p.view(http.StatusOK, views.AdminStaff(props))
}

func (a *admin) staffProps(c echo.Context, p *portal) (views.StaffProps, error) {
	cs, err := a.conf()
	if err != nil {
		return views.StaffProps{}, err
	}
	props := views.StaffProps{Page: a.page(c, p, "admin.staff.title", "staff"), Role: store.RoleAgent}
	for _, r := range []string{store.RoleViewer, store.RoleAgent, store.RoleAdmin} {
		props.Roles = append(props.Roles, views.AdminOption{Value: r, Label: p.T("admin.role." + r)})
	}
	members, err := cs.ListStaff(c.Request().Context())
	if err != nil {
		return props, err
	}
	me, loc := session(c).StaffID, a.staffLoc(c)
	for _, m := range members {
		props.Members = append(props.Members, views.StaffRow{Email: m.Email, Role: m.Role,
			RoleLabel: p.T("admin.role." + m.Role), Created: staffTime(m.CreatedAt, loc),
			Disabled: m.DisabledAt != nil, Self: m.ID == me})
	}
	return props, nil
}

// staffCreate is POST /admin/staff: e-mail, role, password.
func (a *admin) staffCreate(c echo.Context) error {
	cs, err := a.conf()
	if err != nil {
		return err
	}
	email := store.NormalizeEmail(c.FormValue("email"))
	role := c.FormValue("role")
	password := c.FormValue("password")
	problem := ""
	switch {
	case !strings.Contains(email, "@") || len(email) > 254 || strings.ContainsAny(email, " \t\r\n<>\""):
		problem = "admin.staff.error.email"
	case !store.ValidRole(role):
		problem = "admin.staff.error.role"
	case len(password) < minStaffPassword || len(password) > store.MaxPasswordBytes:
		problem = "admin.staff.error.password"
	}
	if problem == "" {
		_, err := cs.CreateStaff(c.Request().Context(), email, password, role)
		switch {
		case errors.Is(err, store.ErrConflict):
			problem = "admin.staff.error.exists"
		case err != nil:
			return err
		default:
			return seeOther(c, "/admin/staff?done=created")
		}
	}
	p := a.portal(c)
	props, err := a.staffProps(c, p)
	if err != nil {
		return err
	}
	props.Email, props.Error = email, p.T(problem)
	if store.ValidRole(role) {
		props.Role = role
	}
	return p.view(http.StatusUnprocessableEntity, views.AdminStaff(props))
}

// staffRole is POST /admin/staff/role: email, role.
func (a *admin) staffRole(c echo.Context) error {
	cs, err := a.conf()
	if err != nil {
		return err
	}
	email, role := store.NormalizeEmail(c.FormValue("email")), c.FormValue("role")
	if email == session(c).Email {
		return a.staffRefusal(c, "admin.staff.error.self")
	}
	if !store.ValidRole(role) {
		return a.staffRefusal(c, "admin.staff.error.role")
	}
	if err := cs.SetStaffRole(c.Request().Context(), email, role); errors.Is(err, store.ErrNotFound) {
		return errNotFound
	} else if err != nil {
		return err
	}
	return seeOther(c, "/admin/staff?done=role")
}

// staffDisable is POST /admin/staff/disable: email. The member's sessions
// end in the same transaction.
func (a *admin) staffDisable(c echo.Context) error {
	cs, err := a.conf()
	if err != nil {
		return err
	}
	email := store.NormalizeEmail(c.FormValue("email"))
	if email == session(c).Email {
		return a.staffRefusal(c, "admin.staff.error.self")
	}
	if err := cs.DisableStaff(c.Request().Context(), email); errors.Is(err, store.ErrNotFound) {
		return errNotFound
	} else if err != nil {
		return err
	}
	return seeOther(c, "/admin/staff?done=disabled")
}

// staffRefusal renders the staff page with a problem (422).
func (a *admin) staffRefusal(c echo.Context, id string) error {
	p := a.portal(c)
	props, err := a.staffProps(c, p)
	if err != nil {
		return err
	}
	props.Error = p.T(id)
	return p.view(http.StatusUnprocessableEntity, views.AdminStaff(props))
}
