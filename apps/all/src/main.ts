import 'reflect-metadata';
import { runFromEnvironment } from './run-process';

// The one entry point of every process: ROLE=all (the default) runs API and worker
// here together, ROLE=api only the API, ROLE=worker only the worker.
runFromEnvironment();
