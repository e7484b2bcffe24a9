export { type SimFleet, type SimFleetOptions, startSimFleet } from './fleet.js';
export { simHostKey } from './host-key.js';
