package server

import (
	"net/http"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// campaignRoutes are the annual data collection's routes (DESIGN.md,
// "Annual data collection").
func (s *Server) campaignRoutes() []route {
	const cl, cp, sub = v1 + "/clusters/:id", v1 + "/clusters/:id/campaigns/:cid", v1 + "/clusters/:id/campaigns/:cid/submissions/:pid"
	return []route{
		{http.MethodPost, cl + "/campaigns", app.Write, "collection", "Open the yearly data collection (campaign): {year, deadline, title}; one open campaign per year (409)", s.handleCreateCampaign()},
		{http.MethodGet, cl + "/campaigns", app.Read, "collection", "Campaigns with every participant's status, counts and flags", s.handleCampaigns()},
		{http.MethodGet, cp, app.Read, "collection", "A campaign's dashboard: every participant's status, last activity, flags, completion", s.handleCampaign()},
		{http.MethodPost, cp + "/close", app.Write, "collection", "Close the campaign: forms can no longer be changed or submitted, nobody invited; submitted forms can still be accepted (409 when closed already)", s.handleCampaignStatus(false)},
		{http.MethodPost, cp + "/reopen", app.Write, "collection", "Open a closed campaign again (409 when another campaign of the cluster is open for its year)", s.handleCampaignStatus(true)},
		{http.MethodPost, cp + "/invitations", app.Write, "collection", "Invite a participant {participant_id}: a participant token shown once and its one-time sign-in link; earlier invitations are revoked", s.handleInvite()},
		{http.MethodGet, cp + "/reconciliation", app.Write, "collection", "Supplier/buyer pairs whose two sides differ by more than 5 %", s.handleReconciliation()},
		{http.MethodGet, cp + "/reminders.csv", app.Write, "collection", "Participants who have not answered, as CSV for reminders", s.handleReminders()},
		{http.MethodGet, sub, app.Own, "collection", "A participant's submission (new ones prefilled from last year's accepted data)", s.handleSubmission()},
		{http.MethodPut, sub, app.Own, "collection", "Save a draft of the submission; 409 once submitted or accepted", s.handleSaveSubmission()},
		{http.MethodPost, sub + "/submit", app.Own, "collection", "Submit (the saved draft, or the body); 400 with every problem", s.handleSubmit()},
		{http.MethodPost, sub + "/accept", app.Write, "collection", "Accept: write the submission into the cluster's data for the year, all or nothing", s.handleAccept()},
		{http.MethodPost, sub + "/return", app.Write, "collection", "Return the submission to the participant {comment}", s.handleReturn()},
		{http.MethodGet, sub + "/workbook.xlsx", app.Own, "collection", "The submission as a prefilled workbook to fill in Excel", s.handleSubmissionWorkbook()},
		{http.MethodPut, sub + "/workbook.xlsx", app.Own, "collection", "Upload the filled-in workbook (raw .xlsx body or multipart field file): saved as a draft", s.handleUploadWorkbook()},
		{http.MethodGet, cl + "/indicators", app.Read, "collection", "Statutory indicators of a year: totals, last year, change, participants reported (year)", s.handleIndicators()},
		{http.MethodGet, cl + "/indicators.xlsx", app.Read, "collection", "The indicators as the report to Minpromtorg (year, lang)", s.handleIndicatorsXLSX()},
		{http.MethodGet, cl + "/problems", app.SignedIn, "collection", "Problems register with fitting support measures (members: every problem and company; others: counts)", s.handleProblems()},
		{http.MethodGet, cl + "/provenance", app.Read, "collection", "Who submitted and who accepted each accepted figure (year)", s.handleProvenance()},
	}
}

func (s *Server) handleCreateCampaign() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req app.CampaignRequest
		if err := httpx.BindJSON(c, &req); err != nil {
			return err
		}
		out, err := s.app.CreateCampaign(c.Request().Context(), who(c), c.Param("id"), req)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, out)
	}
}

func (s *Server) handleCampaigns() echo.HandlerFunc {
	return func(c echo.Context) error {
		cs, err := s.app.Campaigns(c.Request().Context(), who(c), c.Param("id"))
		return list(s, c, cs, err)
	}
}

func (s *Server) handleCampaign() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.Campaign(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

// handleCampaignStatus closes a campaign or, with open, opens it again.
func (s *Server) handleCampaignStatus(open bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		set := s.app.CloseCampaign
		if open {
			set = s.app.ReopenCampaign
		}
		out, err := set(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

type inviteRequest struct {
	ParticipantID string `json:"participant_id"`
}

func (s *Server) handleInvite() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req inviteRequest
		if err := httpx.BindJSON(c, &req); err != nil {
			return err
		}
		inv, err := s.app.Invite(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), req.ParticipantID)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusCreated, inv)
	}
}

func (s *Server) handleReconciliation() echo.HandlerFunc {
	return func(c echo.Context) error {
		items, err := s.app.Reconciliation(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"items": items})
	}
}

func (s *Server) handleReminders() echo.HandlerFunc {
	return func(c echo.Context) error {
		d, err := s.app.RemindersCSV(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), httpx.Lang(c), i18n.T)
		if err != nil {
			return err
		}
		return download(c, d)
	}
}

func (s *Server) handleSubmission() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.Submission(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), c.Param("pid"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleSaveSubmission() echo.HandlerFunc {
	return func(c echo.Context) error {
		var body gm.Submission
		if err := httpx.BindJSON(c, &body); err != nil {
			return err
		}
		v, err := s.app.SaveSubmission(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), c.Param("pid"), body)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

// handleSubmit submits the saved draft, or the Submission in the body.
func (s *Server) handleSubmit() echo.HandlerFunc {
	return func(c echo.Context) error {
		var body *gm.Submission
		if c.Request().ContentLength != 0 && c.Request().Header.Get(echo.HeaderContentType) != "" {
			body = &gm.Submission{}
			if err := httpx.BindJSON(c, body); err != nil {
				return err
			}
		}
		v, err := s.app.SubmitSubmission(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), c.Param("pid"), body)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleAccept() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.AcceptSubmission(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), c.Param("pid"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

type returnRequest struct {
	Comment string `json:"comment"`
}

func (s *Server) handleReturn() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req returnRequest
		if err := httpx.BindJSON(c, &req); err != nil {
			return err
		}
		v, err := s.app.ReturnSubmission(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), c.Param("pid"), req.Comment)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleSubmissionWorkbook() echo.HandlerFunc {
	return func(c echo.Context) error {
		d, err := s.app.SubmissionWorkbook(c.Request().Context(), who(c), c.Param("id"), c.Param("cid"), c.Param("pid"), i18n.T)
		if err != nil {
			return err
		}
		return download(c, d)
	}
}

func (s *Server) handleUploadWorkbook() echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		r.Body = http.MaxBytesReader(c.Response(), r.Body, s.cfg.UploadLimit)
		up, err := s.readUpload(c)
		if err != nil {
			return err
		}
		if len(up.Files) != 1 {
			return gm.Errorf(gm.EINVALID, "send one workbook")
		}
		v, err := s.app.UploadSubmissionWorkbook(r.Context(), who(c), c.Param("id"), c.Param("cid"), c.Param("pid"), up.Files[0].Data, i18n.T)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleIndicators() echo.HandlerFunc {
	return func(c echo.Context) error {
		y, err := httpx.Year(c)
		if err != nil {
			return err
		}
		v, err := s.app.Indicators(c.Request().Context(), who(c), c.Param("id"), y)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleIndicatorsXLSX() echo.HandlerFunc {
	return func(c echo.Context) error {
		y, err := httpx.Year(c)
		if err != nil {
			return err
		}
		v, err := s.app.Indicators(c.Request().Context(), who(c), c.Param("id"), y)
		if err != nil {
			return err
		}
		d, err := app.IndicatorsWorkbook(v, httpx.Lang(c), i18n.T)
		if err != nil {
			return err
		}
		return download(c, d)
	}
}

func (s *Server) handleProblems() echo.HandlerFunc {
	return func(c echo.Context) error {
		y, err := httpx.Year(c)
		if err != nil {
			return err
		}
		v, err := s.app.Problems(c.Request().Context(), who(c), c.Param("id"), y)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleProvenance() echo.HandlerFunc {
	return func(c echo.Context) error {
		y, err := httpx.Year(c)
		if err != nil {
			return err
		}
		ps, err := s.app.Provenance(c.Request().Context(), who(c), c.Param("id"), y)
		return list(s, c, ps, err)
	}
}
