package graphmodel

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes shared by every layer. The HTTP server maps them to status codes.
const (
	EINVALID       = "invalid"       // the input breaks a rule; the caller can fix it
	ENOTFOUND      = "not_found"     // the record does not exist (or is not visible)
	ECONFLICT      = "conflict"      // the record changed or clashes with another one
	EFORBIDDEN     = "forbidden"     // authenticated but not allowed
	EUNAUTHORIZED  = "unauthorized"  // no or bad credentials
	ETOOLARGE      = "too_large"     // input or graph above a configured limit
	EUNAVAILABLE   = "unavailable"   // temporarily unable (database locked or down, queue full)
	EINTERNAL      = "internal"      // a bug or an unexpected failure
	EUNSUPPORTED   = "unsupported"   // unsupported media type or format
	ERATELIMIT     = "rate_limited"  // too many requests
	EUNPROCESSABLE = "unprocessable" // well-formed but cannot be processed (e.g. a view too large to draw)
)

// Problem is one precise finding about input data: where it is (file or
// sheet, row, column), the offending value and why it is wrong, in English and
// Russian.
type Problem struct {
	File      string `json:"file,omitempty"`
	Row       int    `json:"row,omitempty"` // 1-based line/row number in the file, header is row 1
	Column    string `json:"column,omitempty"`
	Value     string `json:"value,omitempty"`
	Record    string `json:"record,omitempty"` // the record's key, e.g. participant id
	Message   string `json:"message"`
	MessageRU string `json:"message_ru,omitempty"`
}

// String renders the problem as "file:row: column "value": message".
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
	}
	if p.Row > 0 {
		fmt.Fprintf(&b, ":%d", p.Row)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if p.Record != "" {
		fmt.Fprintf(&b, "%s: ", p.Record)
	}
	if p.Column != "" {
		b.WriteString(p.Column)
		if p.Value != "" {
			fmt.Fprintf(&b, " %q", truncate(p.Value, 80))
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Error is a domain error with a code, a message for the user and, for
// validation failures, the list of problems found.
type Error struct {
	Code    string
	Message string
	Details []Problem
	Err     error // the underlying cause; never shown to clients
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	const max = 20
	for i, p := range e.Details {
		if i == max {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Details)-max)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	if e.Err != nil && e.Code == EINTERNAL {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error carrying the problems.
func Invalid(msg string, problems []Problem) *Error {
	return &Error{Code: EINVALID, Message: msg, Details: problems}
}

// Internal wraps an unexpected error.
func Internal(err error, msg string) *Error {
	return &Error{Code: EINTERNAL, Message: msg, Err: err}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, "" for nil, EINTERNAL for anything else.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic text so that no cause leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "internal error"
}

// ErrorDetails returns the problems carried by err, if any.
func ErrorDetails(err error) []Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Details
	}
	return nil
}
