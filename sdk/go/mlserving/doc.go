// A production ML model serving platform on AWS or Azure: artifact store, CDN, autoscaled endpoints, a versioned API with keys and throttling, staged rollouts with rollback, and release events.
package mlserving
