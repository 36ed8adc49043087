import 'reflect-metadata';
import { runFromEnvironment } from './run-process';

// ROLE=all (the default) runs API and worker in this one process; ROLE=api only the API.
runFromEnvironment();
