package httpx

import (
	"errors"
	"log/slog"
	"net/http"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Error ErrorObject `json:"error"`
}

// ErrorObject is the error of an ErrorBody.
type ErrorObject struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Details []gm.Problem `json:"details"`
}

var statusOf = map[string]int{
	gm.EINVALID:       http.StatusBadRequest,
	gm.ENOTFOUND:      http.StatusNotFound,
	gm.ECONFLICT:      http.StatusConflict,
	gm.EFORBIDDEN:     http.StatusForbidden,
	gm.EUNAUTHORIZED:  http.StatusUnauthorized,
	gm.ETOOLARGE:      http.StatusRequestEntityTooLarge,
	gm.EUNAVAILABLE:   http.StatusServiceUnavailable,
	gm.EUNSUPPORTED:   http.StatusUnsupportedMediaType,
	gm.ERATELIMIT:     http.StatusTooManyRequests,
	gm.EUNPROCESSABLE: http.StatusUnprocessableEntity,
	gm.EINTERNAL:      http.StatusInternalServerError,
}

var codeOfStatus = map[int]string{
	http.StatusBadRequest:            gm.EINVALID,
	http.StatusNotFound:              gm.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              gm.ECONFLICT,
	http.StatusForbidden:             gm.EFORBIDDEN,
	http.StatusUnauthorized:          gm.EUNAUTHORIZED,
	http.StatusRequestEntityTooLarge: gm.ETOOLARGE,
	http.StatusServiceUnavailable:    gm.EUNAVAILABLE,
	http.StatusUnsupportedMediaType:  gm.EUNSUPPORTED,
	http.StatusTooManyRequests:       gm.ERATELIMIT,
	http.StatusUnprocessableEntity:   gm.EUNPROCESSABLE,
}

// ErrorHandler writes every error as {"error":{"code","message","details"}}.
// Only internal errors are logged with their cause; none reaches the client.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, body := ErrorResponse(err)
		if status >= 500 && body.Error.Code == gm.EINTERNAL {
			log.Error("internal error", "err", err, "method", c.Request().Method, "path", c.Path(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		}
		if status == http.StatusServiceUnavailable && c.Response().Header().Get("Retry-After") == "" {
			c.Response().Header().Set("Retry-After", "2")
		}
		if c.Request().Method == http.MethodHead {
			c.NoContent(status)
			return
		}
		c.JSON(status, body)
	}
}

// ErrorResponse maps an error to its HTTP status and body.
func ErrorResponse(err error) (int, ErrorBody) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code, ok := codeOfStatus[he.Code]
		if !ok {
			code = gm.EINTERNAL
		}
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && he.Code < 500 {
			msg = s
		}
		return he.Code, ErrorBody{ErrorObject{Code: code, Message: msg, Details: []gm.Problem{}}}
	}
	code := gm.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	details := gm.ErrorDetails(err)
	if details == nil {
		details = []gm.Problem{}
	}
	return status, ErrorBody{ErrorObject{Code: code, Message: gm.ErrorMessage(err), Details: details}}
}
