// Package graphmodel holds coopchain's domain: industrial clusters, their
// participants, products, supply links, imports and capacities, the validation
// rules every record must pass, domain errors, and the Store interface that
// storage adapters implement.
package graphmodel
