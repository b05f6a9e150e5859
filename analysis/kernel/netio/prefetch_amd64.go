package netio

// prefetch asks the processor to bring p's cache line in without waiting
// for it (a touch by a load would hold up the instructions after it).
//
//go:noescape
func prefetch(p *idSlot)
