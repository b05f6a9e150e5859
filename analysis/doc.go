// Package analysis computes everything numeric about a cluster's cooperation
// graph: centrality, chain structure (processing stages, cycles, reach,
// single-source inputs, removal impact), import dependence (direct and
// Leontief total import content), import gaps and investment niches, PP-779
// compliance, location quotients and cooperation matches. Definitions follow
// DESIGN.md; results are checked against gonum and networkx in the tests.
package analysis
