import { writeFileSync } from 'node:fs';
import { metaValidatorSource } from './meta-source.ts';

// `npm run generate:meta-validator`: after an ajv upgrade (test/suite/meta-validator.test.ts says when).
writeFileSync(new URL('./meta-2020.generated.ts', import.meta.url), metaValidatorSource());
