package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The staff accounts page, /admin/staff (admins only): list, create with a
// role and a password, change a role, disable (which ends the member's
// sessions at once). Members cannot change their own role or disable
// themselves, so that the last admin cannot lock everyone out by mistake.

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
	props := views.StaffProps{Page: a.page(c, p, "admin.staff.title", "staff"), Role: store.RoleAgent}
	for _, r := range []string{store.RoleViewer, store.RoleAgent, store.RoleAdmin} {
		props.Roles = append(props.Roles, views.AdminOption{Value: r, Label: p.T("admin.role." + r)})
	}
	members, err := a.svc.StaffMembers(c.Request().Context())
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

// staffCreate is POST /admin/staff: e-mail, role, password
// (service.CreateStaff).
func (a *admin) staffCreate(c echo.Context) error {
	email, role := store.NormalizeEmail(c.FormValue("email")), c.FormValue("role")
	_, err := a.svc.CreateStaff(c.Request().Context(), email, c.FormValue("password"), role)
	var fe returns.FieldErrors
	if !errors.As(err, &fe) {
		if err != nil {
			return err
		}
		return seeOther(c, "/admin/staff?done=created")
	}
	p := a.portal(c)
	props, err := a.staffProps(c, p)
	if err != nil {
		return err
	}
	props.Email, props.Error = email, p.T("admin.staff.error."+fe[0].Code)
	if store.ValidRole(role) {
		props.Role = role
	}
	return p.view(http.StatusUnprocessableEntity, views.AdminStaff(props))
}

// staffRole is POST /admin/staff/role: email, role.
func (a *admin) staffRole(c echo.Context) error {
	err := a.svc.SetStaffRole(c.Request().Context(), session(c).Email, c.FormValue("email"), c.FormValue("role"))
	return a.afterStaffChange(c, err, "role")
}

// staffDisable is POST /admin/staff/disable: email. The member's sessions
// end in the same transaction.
func (a *admin) staffDisable(c echo.Context) error {
	err := a.svc.DisableStaff(c.Request().Context(), session(c).Email, c.FormValue("email"))
	return a.afterStaffChange(c, err, "disabled")
}

// afterStaffChange shows the staff page again: with the refusal (422), or
// after the change (POST-redirect-GET).
func (a *admin) afterStaffChange(c echo.Context, err error, done string) error {
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		p := a.portal(c)
		props, err := a.staffProps(c, p)
		if err != nil {
			return err
		}
		props.Error = p.T("admin.staff.error." + fe[0].Code)
		return p.view(http.StatusUnprocessableEntity, views.AdminStaff(props))
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/staff?done="+done)
}
