package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// collectRoutes are the pages of the annual data collection. The
// participant's form and "/my" are the only pages a participant reaches.
func (u *UI) collectRoutes() []Route {
	const cl, cp, sub = "/clusters/:id", "/clusters/:id/campaigns/:cid", "/clusters/:id/campaigns/:cid/submissions/:pid"
	return []Route{
		{http.MethodGet, "/my", app.Public, u.myForm()}, // decides itself: a participant's landing page
		{http.MethodPost, "/login/invite", app.Public, u.invitePost()},
		{http.MethodGet, cl + "/campaigns", app.Read, u.campaigns()},
		{http.MethodPost, cl + "/campaigns", app.Write, u.campaignCreate()},
		{http.MethodGet, cp, app.Read, u.campaign()},
		{http.MethodPost, cp + "/invitations", app.Write, u.campaignInvite()},
		{http.MethodPost, cp + "/close", app.Write, u.campaignStatus(false)},
		{http.MethodPost, cp + "/reopen", app.Write, u.campaignStatus(true)},
		{http.MethodGet, sub, app.Own, u.submission()},
		{http.MethodPost, sub, app.Own, u.submissionPost()},
		{http.MethodPost, sub + "/upload", app.Own, u.submissionUpload()},
		{http.MethodGet, sub + "/workbook.xlsx", app.Own, u.submissionWorkbook()},
		{http.MethodPost, sub + "/accept", app.Write, u.submissionDecide(true)},
		{http.MethodPost, sub + "/return", app.Write, u.submissionDecide(false)},
		{http.MethodGet, cl + "/indicators", app.Read, u.indicators()},
		{http.MethodGet, cl + "/indicators.xlsx", app.Read, u.indicatorsXLSX()},
		{http.MethodGet, cl + "/problems", app.Read, u.problems()},
	}
}

// participantMay reports whether a participant may open a page: its form
// (routes that name it), its landing page, signing in and out.
func participantMay(r Route) bool {
	switch r.Path {
	case "/my", "/login", "/login/invite", "/logout":
		return true
	}
	return r.Perm == app.Own
}

// collectPage is the head of a cluster's collection page (no analysis).
func (u *UI) collectPage(c echo.Context, tab, title string) (*Page, error) {
	cl, err := u.app.Cluster(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	p := u.newPage(c, title)
	p.Cluster, p.Tab = cl, tab
	p.Member, p.CanWrite = p.Me.Member(cl.ID), p.Me.CanWrite(cl.ID)
	return p, nil
}

func campaignPath(cluster, id string) string {
	return "/clusters/" + url.PathEscape(cluster) + "/campaigns/" + url.PathEscape(id)
}

func submissionPath(cluster, id, pid string) string {
	return campaignPath(cluster, id) + "/submissions/" + url.PathEscape(pid)
}

// myForm sends a participant to its form (the latest open campaign).
func (u *UI) myForm() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		me := httpx.Who(c)
		if !me.SignedIn() {
			return gm.Errorf(gm.EUNAUTHORIZED, "sign in")
		}
		if !me.Participant() {
			return c.Redirect(http.StatusSeeOther, "/")
		}
		cl, cid, pid, err := u.app.ParticipantForm(c.Request().Context(), me.Principal)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, submissionPath(cl, cid, pid))
	})
}

// invitePost exchanges an invitation link's code for a session, once, and
// opens the participant's form.
func (u *UI) invitePost() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		t, err := u.app.UseInvitation(c.Request().Context(), c.FormValue("invite"))
		if err != nil {
			if gm.ErrorCode(err) != gm.EUNAUTHORIZED {
				return err
			}
			p := &loginPage{Page: u.newPage(c, i18n.T(httpx.Lang(c), "login.title")), Next: "/", InviteFailed: true}
			return u.render(c, http.StatusUnauthorized, "login.html", p)
		}
		if err := u.opt.Sessions.Start(c, t); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/my")
	})
}

func (u *UI) campaigns() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error { return u.renderCampaigns(c, nil, http.StatusOK) })
}

func (u *UI) renderCampaigns(c echo.Context, problems []gm.Problem, status int) error {
	p, err := u.collectPage(c, "collect", "")
	if err != nil {
		return err
	}
	p.Title = i18n.T(p.Lang, "camp.title") + " · " + p.Cluster.Name
	cs, err := u.app.Campaigns(c.Request().Context(), p.Me.Principal, p.Cluster.ID)
	if err != nil {
		return err
	}
	y := time.Now().Year() - 1
	cp := &campaignsPage{Page: p, Campaigns: cs, NextYear: y, Deadline: fmt.Sprintf("%d-03-31", y+1), Problems: problems}
	return u.render(c, status, "campaigns.html", cp)
}

func (u *UI) campaignCreate() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		y, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("year")))
		r := app.CampaignRequest{Year: y, Deadline: strings.TrimSpace(c.FormValue("deadline")), Title: c.FormValue("title")}
		cp, err := u.app.CreateCampaign(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), r)
		switch gm.ErrorCode(err) {
		case "":
			return c.Redirect(http.StatusSeeOther, campaignPath(cp.ClusterID, cp.ID))
		case gm.EINVALID:
			return u.renderCampaigns(c, gm.ErrorDetails(err), http.StatusBadRequest)
		case gm.ECONFLICT:
			return u.renderCampaigns(c, []gm.Problem{{Column: "year", Message: gm.ErrorMessage(err), MessageRU: i18n.T("ru", "camp.exists")}}, http.StatusConflict)
		}
		return err
	})
}

func (u *UI) campaign() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error { return u.renderCampaign(c, nil) })
}

// renderCampaign shows a campaign's dashboard; inv is an invitation just
// made, shown this once.
func (u *UI) renderCampaign(c echo.Context, inv *newInvite) error {
	p, err := u.collectPage(c, "collect", "")
	if err != nil {
		return err
	}
	ctx, me := c.Request().Context(), p.Me.Principal
	v, err := u.app.Campaign(ctx, me, p.Cluster.ID, c.Param("cid"))
	if err != nil {
		return err
	}
	p.Title = fmt.Sprintf(i18n.T(p.Lang, "camp.heading"), v.Year) + " · " + p.Cluster.Name
	cp := &campaignPage{Page: p, V: v, Statuses: gm.SubmissionStatuses, Waiting: v.Waiting(), Invite: inv,
		CSV: "/api/v1" + campaignPath(p.Cluster.ID, v.ID) + "/reminders.csv?lang=" + p.Lang}
	var names []string
	for _, w := range cp.Waiting {
		names = append(names, w.Name)
	}
	cp.WaitingText = strings.Join(names, "\n")
	if p.CanWrite {
		items, err := u.app.Reconciliation(ctx, me, p.Cluster.ID, v.ID)
		if err != nil {
			return err
		}
		byID := map[string]string{}
		for _, x := range v.Participants {
			byID[x.ParticipantID] = x.Name
		}
		for _, d := range items {
			cp.Reconciliation = append(cp.Reconciliation, disagreeRow{Disagreement: d, Supplier: byID[d.SupplierID], Buyer: byID[d.BuyerID]})
		}
	}
	return u.render(c, http.StatusOK, "campaign.html", cp)
}

// campaignStatus closes the campaign or, with open, opens it again, and
// returns to its dashboard.
func (u *UI) campaignStatus(open bool) echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		set := u.app.CloseCampaign
		if open {
			set = u.app.ReopenCampaign
		}
		cp, err := set(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), c.Param("cid"))
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, campaignPath(cp.ClusterID, cp.ID))
	})
}

// campaignInvite invites a participant and shows the link and the token
// once on the dashboard.
func (u *UI) campaignInvite() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		pid := c.FormValue("participant_id")
		inv, err := u.app.Invite(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), c.Param("cid"), pid)
		if err != nil {
			return err
		}
		name := pid
		if v, err := u.app.Campaign(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), c.Param("cid")); err == nil {
			for _, x := range v.Participants {
				if x.ParticipantID == pid {
					name = x.Name
				}
			}
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return u.renderCampaign(c, &newInvite{Name: name, URL: c.Scheme() + "://" + c.Request().Host + inv.URL, Token: inv.Token})
	})
}

func (u *UI) submission() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		v, err := u.app.Submission(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), c.Param("cid"), c.Param("pid"))
		if err != nil {
			return err
		}
		var errs []gm.Problem
		if v.Status != gm.StatusNotStarted && v.Editable() {
			errs = v.Errors
		}
		return u.renderForm(c, v, app.FormOf(v.Submission), errs, c.QueryParam("done"), http.StatusOK)
	})
}

// submissionPost saves the form as a draft or submits it. Figures that
// cannot be read store nothing; a submit with problems stores nothing;
// either way the page comes back with what was typed and a message beside
// every field.
func (u *UI) submissionPost() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		ctx, me := c.Request().Context(), httpx.Who(c).Principal
		cl, cid, pid := c.Param("id"), c.Param("cid"), c.Param("pid")
		form, err := readForm(c)
		if err != nil {
			return err
		}
		sub, bad := form.Submission()
		again := func(errs []gm.Problem, notice string) error {
			v, err := u.app.Submission(ctx, me, cl, cid, pid)
			if err != nil {
				return err
			}
			return u.renderForm(c, v, form, errs, notice, http.StatusBadRequest)
		}
		if len(bad) > 0 {
			return again(bad, "unread")
		}
		action := "saved"
		if c.FormValue("action") == "submit" {
			_, err = u.app.SubmitSubmission(ctx, me, cl, cid, pid, &sub)
			action = "submitted"
		} else {
			_, err = u.app.SaveSubmission(ctx, me, cl, cid, pid, sub)
		}
		if gm.ErrorCode(err) == gm.EINVALID {
			return again(gm.ErrorDetails(err), "invalid")
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, submissionPath(cl, cid, pid)+"?done="+action+"#status")
	})
}

// submissionUpload reads the filled-in workbook: saved as a draft, or
// nothing stored and every problem listed with its sheet and row.
func (u *UI) submissionUpload() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		ctx, me := c.Request().Context(), httpx.Who(c).Principal
		cl, cid, pid := c.Param("id"), c.Param("cid"), c.Param("pid")
		fh, err := c.FormFile("file")
		if err != nil {
			return gm.Errorf(gm.EINVALID, "choose the filled-in workbook (.xlsx)")
		}
		f, err := fh.Open()
		if err != nil {
			return gm.Errorf(gm.EINVALID, "cannot read the upload")
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, u.app.Config().UploadLimit+1))
		if err != nil {
			return gm.Errorf(gm.EINVALID, "cannot read the upload")
		}
		_, err = u.app.UploadSubmissionWorkbook(ctx, me, cl, cid, pid, data, i18n.T)
		if code := gm.ErrorCode(err); code == gm.EINVALID || code == gm.ETOOLARGE {
			v, verr := u.app.Submission(ctx, me, cl, cid, pid)
			if verr != nil {
				return verr
			}
			bad := gm.ErrorDetails(err)
			if len(bad) == 0 {
				bad = []gm.Problem{{Column: "file", Message: gm.ErrorMessage(err), MessageRU: i18n.T("ru", "form.badfile")}}
			}
			return u.renderForm(c, v, app.FormOf(v.Submission), bad, "upload", http.StatusBadRequest)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, submissionPath(cl, cid, pid)+"?done=uploaded#status")
	})
}

func (u *UI) submissionWorkbook() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		d, err := u.app.SubmissionWorkbook(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), c.Param("cid"), c.Param("pid"), i18n.T)
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+d.FileName+`"`)
		return c.Blob(http.StatusOK, d.ContentType, d.Data)
	})
}

// submissionDecide accepts the submission or returns it with a comment.
func (u *UI) submissionDecide(accept bool) echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		ctx, me := c.Request().Context(), httpx.Who(c).Principal
		cl, cid, pid := c.Param("id"), c.Param("cid"), c.Param("pid")
		var err error
		done := "accepted"
		if accept {
			_, err = u.app.AcceptSubmission(ctx, me, cl, cid, pid)
		} else {
			_, err = u.app.ReturnSubmission(ctx, me, cl, cid, pid, c.FormValue("comment"))
			done = "returned"
		}
		if gm.ErrorCode(err) == gm.EINVALID {
			v, verr := u.app.Submission(ctx, me, cl, cid, pid)
			if verr != nil {
				return verr
			}
			return u.renderForm(c, v, app.FormOf(v.Submission), gm.ErrorDetails(err), "invalid", http.StatusBadRequest)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, submissionPath(cl, cid, pid)+"?done="+done+"#status")
	})
}
