import { describeKeyStoreContract } from './keyStoreContract.js';
import { createMemoryKeyStore } from './memoryKeyStore.js';

describeKeyStoreContract('memory', async () => ({ store: createMemoryKeyStore(), close: async () => undefined }));
