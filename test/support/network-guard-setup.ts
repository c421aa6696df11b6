// Vitest setup: every test file runs with the loopback-only network guard.
import './network-guard.cjs';
