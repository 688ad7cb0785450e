// The setup API contract (zod request schemas, response types): being built.
export {};
