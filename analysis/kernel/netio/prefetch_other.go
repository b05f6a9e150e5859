//go:build !amd64

package netio

// prefetch does nothing where there is no prefetch instruction wrapper.
func prefetch(p *idSlot) {}
