import { fileURLToPath } from 'node:url';

/**
 * The demo shown on a fresh install: a real final, recomputed live by the scoring engine from its judges'
 * marks, so anyone can check the engine against the published results.
 */
export const demoEvent = {
  id: 'paris2024-men-10m-platform-final',
  scheme: 'diving',
  title: '2024 年巴黎奥运会 男子 10 米跳台决赛',
  titleEn: 'Paris 2024 Olympic Games, men’s 10 m platform final',
  source: 'Olympic Games Paris 2024, official results (World Aquatics): every judge’s award for every dive',
  marksFile: fileURLToPath(new URL('./paris2024-men-10m-platform-final.marks.csv', import.meta.url)),
} as const;
