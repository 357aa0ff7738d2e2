// Placeholder until `lit-localize build` generates it.
export const templates = {};
