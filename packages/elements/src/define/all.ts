/**
 * Registers every Menteo element (each skipped when already defined).
 * @module
 */
import './provider.js';
import './thread-feed.js';
import './roadmap.js';
import './room.js';
import './check-in.js';
import './feedback.js';
import './check-in-history.js';
import './learning-log.js';
import './feedback-exchange.js';
import './mentor-overview.js';
import './match-suggestions.js';
import './match-requests.js';
// The console's shell only: its sections load with import() when shown (chunks of the CDN build).
import './admin-console.js';
