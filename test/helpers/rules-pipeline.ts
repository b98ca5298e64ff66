/**
 * The mail pipeline with the offline rules classifier over `../sessions/*`, as YAML for a
 * test workspace (a `pipelines/` folder holding the suite and map beside `sessions/`):
 * load → normalize → classify → synthesize, then whatever stages and variants a test adds.
 */
export function rulesPipelineYaml(name: string, opts: { output?: string; moreStages?: string; variants?: string } = {}): string {
  return `name: ${name}
sessions: {path: ../sessions/*}
suite: suites/gmail.yaml
${opts.output === undefined ? '' : `output: ${opts.output}\n`}models:
  rules: {provider: rules}
actionToolMaps:
  gmail: maps/gmail-tools.yaml
stages:
  load: {uses: load}
  normalize: {uses: normalize, needs: [load]}
  classify: {uses: classify, needs: [normalize], model: rules}
  synthesize: {uses: synthesize, needs: [classify, normalize], actionToolMap: gmail, thresholds: {review: 0.7}}
${opts.moreStages ?? ''}${opts.variants === undefined ? '' : `variants:\n${opts.variants}`}`;
}
