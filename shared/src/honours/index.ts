export * from './evaluate';
export * from './people-csv';
export * from './schema';
export * from './templates';
