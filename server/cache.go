package server

import (
	"bytes"
	"compress/gzip"
	lru "container/list"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// encoded is a response body encoded once: the JSON, its gzip form and an
// ETag, for answers that change only when the data version does (the
// registry, the rating).
type encoded struct {
	json, gz []byte
	etag     string
}

// encodedCache keeps encoded bodies by key (route, query, data version),
// least recently used evicted first.
type encodedCache struct {
	mu    sync.Mutex
	max   int
	items map[string]*lru.Element
	order *lru.List // of *encodedItem, most recent first
}

type encodedItem struct {
	key string
	val *encoded
}

func newEncodedCache(max int) *encodedCache {
	return &encodedCache{max: max, items: map[string]*lru.Element{}, order: lru.New()}
}

func (c *encodedCache) get(key string) (*encoded, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*encodedItem).val, true
}

func (c *encodedCache) put(key string, v *encoded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*encodedItem).val = v
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&encodedItem{key, v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*encodedItem).key)
	}
}

// encode makes the cached form of a JSON body.
func encode(body any) (*encoded, error) {
	j, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	j = append(j, '\n')
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(j)
	w.Close()
	return &encoded{json: j, gz: gz.Bytes(), etag: fmt.Sprintf(`"e-%x"`, hashString(string(j)))}, nil
}

// serveEncoded answers a cached body: 304 to a matching If-None-Match, the
// gzip form to a client that accepts it.
func serveEncoded(c echo.Context, e *encoded) error {
	h := c.Response().Header()
	h.Set("ETag", e.etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Add("Vary", "Accept-Encoding")
	if m := c.Request().Header.Get("If-None-Match"); m != "" && etagMatches(m, e.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, e.gz)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, e.json)
}

// cachedJSON serves a public answer that depends only on the request's
// query and the data version: computed and encoded once per version.
func (s *Server) cachedJSON(c echo.Context, compute func() (any, error)) error {
	v, err := s.app.Health(c.Request().Context())
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%s?%s#%d", c.Path(), c.QueryString(), v)
	if e, ok := s.encoded.get(key); ok {
		return serveEncoded(c, e)
	}
	body, err := compute()
	if err != nil {
		return err
	}
	e, err := encode(body)
	if err != nil {
		return err
	}
	s.encoded.put(key, e)
	return serveEncoded(c, e)
}
