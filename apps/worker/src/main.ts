import 'reflect-metadata';
import { runFromEnvironment } from '../../api/src/run-process';

runFromEnvironment({ ROLE: 'worker' });
